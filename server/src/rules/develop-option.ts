// develop-option: `develop =` with a non-empty value in the effective `[buildout]`. Develop eggs are
// built from local checkouts whose content is not pinned anywhere, so a release profile must not have
// them (the release guide says to remove the option and pin the eggs in [versions]). The finding sits
// on the first line of each `develop` option in the chain that contributes to the value.
// Deliberately not done: gitclone's own `develop = true` option (it only keeps a working copy on update)
// and `zc.recipe.egg:develop` parts are other things; an empty or emptied `develop` is fine.

import { Rule, RuleContext } from '../core/rule';

export const developOption: Rule = {
  id: 'develop-option',
  description: 'A release profile must not build develop eggs: remove `develop` from [buildout].',
  defaultSeverity: 'warning',
  freeze: true,
  check(ctx: RuleContext): void {
    const value = ctx.config.get('buildout', 'develop');
    if (!value) return;
    const paths = value.value.split(/\s+/).filter(Boolean);
    if (paths.length === 0) return;
    const raw = ctx.config.raw('buildout', 'develop')!;
    const seen = new Set<string>();
    for (const origin of raw.origins) {
      const o = origin.option;
      if (!o || origin.operation === 'REMOVE' || o.value.trim() === '') continue;
      const key = `${origin.file}\0${o.nameStart}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // The option's first line (`develop = ...` or `develop +=`): a squiggle over many lines hides the code.
      const text = ctx.ws.syntaxOf(origin.file)?.text ?? '';
      const eq = text.indexOf('=', o.nameEnd);
      const end = o.firstValue ? o.lines[0].end : eq >= 0 ? eq + 1 : o.nameEnd;
      ctx.report({
        file: origin.file,
        start: o.nameStart,
        end,
        message: `[buildout] develop builds ${paths.length === 1 ? 'the develop egg' : `${paths.length} develop eggs`} from ${paths.join(', ')}: a release must not use develop eggs. Remove \`develop\` and pin the eggs in [versions].`,
        data: { paths },
      });
    }
  },
};
