// Decides what buildout actually installs for a root profile: `[buildout] parts`, then every section
// those reach through `${}` references, `<part-dependencies>` (`=>`), the `${}` inside templates that
// slapos.recipe.template renders at build time, and the jinja2 recipe's `context` lines. Sections only
// used as `<=` macro bases are never reached, so they are never judged. Broken references met on the
// way are Problems, reported only where buildout would meet them.

import { EffectiveConfig } from './effective-config';
import { Problem } from './problem';
import { locateText, locateValue } from './locate';
import type { Workspace } from '../workspace/workspace';
import { isUrl } from '../workspace/workspace';
import { BUILDOUT_DEFAULTS } from './config';

export interface Installed {
  /** Sections with a recipe that buildout installs, in the order they were reached. */
  parts: string[];
  /** Every section buildout reads (parts, and data sections they refer to). */
  accessed: Set<string>;
  problems: Problem[];
}

/** Options that buildout or SlapOS's buildout fill in themselves, so references to them are fine. */
const COMPUTED_BUILDOUT_OPTIONS = new Set(['directory', 'extends', 'rootdir', 'extends-cache', 'download-cache']);
const ALWAYS_DEFINED = new Set(['_buildout_section_name_', '_profile_base_location_']);

export function recipeName(recipe: string): { egg: string; entry: string } {
  const [egg, entry] = recipe.trim().split(':');
  return { egg: egg.trim(), entry: (entry ?? 'default').trim() };
}

/** What visiting one section contributes to the walk: the sections it reaches, in order, and its problems. */
interface Step {
  reach: string[];
  problems: Problem[];
  /** True when the section has a recipe: buildout installs it. */
  part: boolean;
}

export function computeInstalled(config: EffectiveConfig, ws: Workspace): Installed {
  const accessed = new Set<string>();
  const parts: string[] = [];
  const problems: Problem[] = [];
  const queue: string[] = [];
  const reported = new Set<string>();

  const take = (step: Step) => {
    for (const p of step.problems) {
      // With an unreadable extended file, the section or option may well be defined there.
      if (config.incomplete && p.code !== 'invalid-reference') continue;
      const key = `${p.file}\0${p.start}\0${p.code}`;
      if (reported.has(key)) continue;
      reported.add(key);
      problems.push(p);
    }
    for (const name of step.reach) if (!accessed.has(name)) { accessed.add(name); queue.push(name); }
  };

  accessed.add('buildout');
  queue.push('buildout');
  take(config.derive('installed', '[buildout] parts', () => partsStep(config, ws)));
  // Each section's contribution is memoised: after an edit, only sections whose inputs changed are visited again.
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i];
    const step = config.derive('installed', name, () => sectionStep(config, ws, name));
    take(step);
    if (step.part) parts.push(name);
  }
  return { parts, accessed, problems };
}

/** The parts `[buildout] parts` lists (the walk reaches `buildout` itself first). */
function partsStep(config: EffectiveConfig, ws: Workspace): Step {
  const step: Step = { reach: [], problems: [], part: false };
  const partsValue = config.get('buildout', 'parts');
  for (const name of (partsValue?.value ?? '').split(/\s+/).filter(Boolean)) {
    if (!config.has(name)) {
      const raw = config.raw('buildout', 'parts');
      problemAt(step, raw && locateText(ws, raw, name), 'missing-section', `The part ${name} is listed in [buildout] parts, but no profile of the extends chain defines [${name}].`);
      continue;
    }
    step.reach.push(name);
  }
  return step;
}

function problemAt(step: Step, loc: { file: string; start: number; end: number } | undefined, code: string, message: string): void {
  if (loc) step.problems.push({ ...loc, code, severity: 'error', message });
}

function sectionStep(config: EffectiveConfig, ws: Workspace, name: string): Step {
  const step: Step = { reach: [], problems: [], part: false };
  const reach = (s: string) => { step.reach.push(s); };
  const section = config.section(name);
  if (!section) return step;

  const checkReference = (option: string, ref: { section: string; option: string; invalid?: string }, text: string) => {
    const value = config.raw(name, option);
    if (!value) return;
    if (ref.invalid) { problemAt(step, locateText(ws, value, text, false), 'invalid-reference', ref.invalid); return; }
    const target = ref.section || name;
    if (!config.has(target)) {
      problemAt(step, locateText(ws, value, text, false), 'missing-section', `${text} refers to the section [${target}], which no profile of the extends chain defines.`);
      return;
    }
    reach(target);
    const targetSection = config.section(target);
    if (!targetSection || targetSection.has(ref.option) || ALWAYS_DEFINED.has(ref.option)) return;
    // A recipe may compute options at run time (`location`, `egg`, ...): only data sections are certain.
    if (targetSection.has('recipe')) return;
    if (target === 'buildout' && (ref.option in BUILDOUT_DEFAULTS || COMPUTED_BUILDOUT_OPTIONS.has(ref.option))) return;
    if (target === 'buildout') return; // extensions (slapos.rebootstrap, ...) add buildout options.
    problemAt(step, locateText(ws, value, text, false), 'missing-option', `${text} refers to the option \`${ref.option}\`, which [${target}] does not define.`);
  };

  section.forEach((value, option) => {
    const refs = ws.referencesIn(value.value);
    for (let i = 0; i < refs.length; i++) checkReference(option, refs[i], value.value.substr(refs[i].index, refs[i].length));
  });
  for (const dep of (config.get(name, '<part-dependencies>')?.value ?? '').split(/\s+/).filter(Boolean)) {
    if (config.has(dep)) reach(dep);
    else { const raw = config.raw(name, '<part-dependencies>'); problemAt(step, raw && locateValue(raw), 'missing-section', `[${name}] depends on [${dep}], which no profile defines.`); }
  }
  if (name === 'buildout') return step;
  const recipe = config.get(name, 'recipe')?.value.trim();
  if (!recipe) return step;
  step.part = true;
  const { egg, entry } = recipeName(recipe);
  if (egg === 'slapos.recipe.template' && (entry === 'default' || entry === 'jinja2')) reachTemplateInputs(config, ws, name, entry, reach);
  return step;
}

/** The sections a template recipe reads at build time besides its own options. */
function reachTemplateInputs(config: EffectiveConfig, ws: Workspace, name: string, entry: string, reach: (s: string) => void): void {
  if (entry === 'default') {
    const url = config.get(name, 'url')?.value.trim();
    if (!url || isUrl(url) || url.includes('${')) return;
    const text = ws.readText(url);
    if (!('text' in text)) return;
    for (const ref of ws.referencesIn(text.text)) {
      if (!ref.invalid && ref.section && config.has(ref.section)) reach(ref.section);
    }
    return;
  }
  const context = config.get(name, 'context')?.value ?? '';
  for (const line of context.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'key' && words[2]) {
      const section = words[2].split(':')[0];
      if (section && config.has(section)) reach(section);
    } else if (words[0] === 'section' && words[2] && config.has(words[2])) reach(words[2]);
  }
}
