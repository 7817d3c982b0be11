// unpinned-egg: an egg that an installed part (or `[buildout] extensions`) asks buildout to install has no
// exact version in the effective versions section, so buildout picks one (or stops, with
// `allow-picked-versions = false`). It judges only what model/eggs.ts can see statically: it does not
// check the eggs' own dependencies, names computed by recipes at run time, develop eggs, requirements that
// pin themselves with `==`, nor anything when an extended profile could not be read (the pin may live there).

import * as path from 'path';
import { Rule, RuleContext } from '../core/rule';
import { isPinnedByItself, locateRequest, locateSectionHeader, readVersions, requestedEggs, versionsFileOf, EggRequest } from '../model/eggs';
import { Location } from '../model/locate';

export const unpinnedEgg: Rule = {
  id: 'unpinned-egg',
  description: 'Every egg an installed part or extension requests has an exact version in the effective [versions] section.',
  defaultSeverity: 'warning',
  freeze: true,
  check(ctx: RuleContext): void {
    const { config, ws } = ctx;
    if (config.incomplete) return;
    // Memoised on the configuration: after an edit, recomputed only when what they read changed.
    const versions = config.derive('versions', '', () => readVersions(config));
    const { requests, develop } = requestedEggs(config, ws);
    const versionsFile = versions.section ? versionsFileOf(ws, config, versions.section) : config.root;
    // Located only for a finding, like the names: what the rule reads of the texts is what it reports.
    let header: Location | undefined | null = null;
    const headerAt = () => (header === null ? (header = versions.section ? locateSectionHeader(ws, config, versions.section, versionsFile) : undefined) : header);
    const allowPicked = (config.get('buildout', 'allow-picked-versions')?.value.trim().toLowerCase() ?? 'true') !== 'false';
    const reported = new Set<string>();
    // Direct requests first, so a name written in a part's own option is reported as that part's.
    for (let pass = 0; pass < 2; pass++) for (let i = 0; i < requests.length; i++) {
      const request = requests[i];
      if ((pass === 0) === (request.via !== undefined)) continue;
      const { requirement } = request;
      if (isPinnedByItself(requirement) || develop.has(requirement.key)) continue;
      if (versions.entries.get(requirement.key)?.pin.pinned) continue;
      const at = locateRequest(ws, config, request);
      if (!at) continue;
      const once = `${at.file}\0${at.start}\0${requirement.key}`;
      if (reported.has(once)) continue;
      reported.add(once);
      const existing = versions.entries.get(requirement.key);
      ctx.report({
        file: at.file, start: at.start, end: at.end,
        message: messageFor(request, versions.section, path.basename(config.root), existing?.value, allowPicked),
        data: {
          egg: requirement.name,
          key: requirement.key,
          part: request.part,
          option: request.option,
          versionsSection: versions.section,
          versionsFile,
        },
        ...(headerAt() ? { related: [{ ...headerAt()!, message: `the effective versions section for ${path.basename(config.root)}` }] } : {}),
      });
    }
  },
};

function messageFor(request: EggRequest, section: string, root: string, existing: string | undefined, allowPicked: boolean): string {
  const name = request.requirement.name;
  const where = !section
    ? `${name} is not pinned: [buildout] versions is empty in ${root}, so no versions section applies`
    : existing !== undefined
      ? `${name} is not pinned: [${section}] (effective for ${root}) gives it ${existing.trim() ? `\`${existing.trim()}\`, which is not an exact version` : 'an empty value'}`
      : `${name} is not pinned in [${section}] (effective for ${root})`;
  const why = request.part === 'buildout'
    ? 'it is a buildout extension'
    : request.option === 'recipe'
      ? `[${request.part}] uses it as its recipe`
      : request.option
        ? `[${request.part}] requests it in \`${request.option}\`${request.via ? ` through ${request.via}` : ''}`
        : `[${request.part}] installs it by its section name`;
  const outcome = allowPicked ? 'buildout would pick a version' : 'buildout would stop (allow-picked-versions = false)';
  return `${where}; ${why}, so ${outcome}.`;
}
