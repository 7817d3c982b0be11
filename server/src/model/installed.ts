// Decides what buildout actually installs for a root profile: `[buildout] parts`, then every section
// those reach through `${}` references, `<part-dependencies>` (`=>`), the `${}` inside templates that
// slapos.recipe.template renders at build time, and the jinja2 recipe's `context` lines. Sections only
// used as `<=` macro bases are never reached, so they are never judged. Broken references met on the
// way are Problems, reported only where buildout would meet them.

import { EffectiveConfig, configLookup } from './effective-config';
import { sameItems, sameMembers } from './tracking';
import { Problem } from './problem';
import { KeptLocation, keepLocation, locateText, locateValue, stillLocated } from './locate';
import type { Workspace } from '../workspace/workspace';
import { isUrl } from '../workspace/workspace';
import { BUILDOUT_DEFAULTS } from './config';
import { excerpt } from '../syntax/excerpt';

export interface Installed {
  /** Sections with a recipe that buildout installs, in the order they were reached. */
  parts: string[];
  /** Every section buildout reads (parts, and data sections they refer to). */
  accessed: Set<string>;
  problems: Problem[];
}

/** Options that buildout or SlapOS's buildout fill in themselves, so references to them are fine. */
const COMPUTED_BUILDOUT_OPTIONS = new Set(['directory', 'extends', 'rootdir', 'extends-cache', 'download-cache']);
/** How many problems of one code are located before the rest are only counted. */
export const MAX_PROBLEM_ATTEMPTS = 1000;
const ALWAYS_DEFINED = new Set(['_buildout_section_name_', '_profile_base_location_']);

export function recipeName(recipe: string): { egg: string; entry: string } {
  const [egg, entry] = recipe.trim().split(':');
  return { egg: egg.trim(), entry: (entry ?? 'default').trim() };
}

/**
 * A problem met while visiting a section, located only when the walk reports it: locating scans the
 * value it sits in, so a value of 100,000 broken references would cost 100,000 scans of 100,000 lines.
 * The location is kept with the (memoised) step, so a later configuration that reuses the step does
 * not locate it again unless an edit of its file may have moved it.
 */
interface Candidate {
  code: string;
  message: string;
  locate: () => { file: string; start: number; end: number } | undefined;
  /** The location once computed. */
  located?: KeptLocation;
}

/** What visiting one section contributes to the walk: the sections it reaches, in order, and its problems. */
interface Step {
  reach: string[];
  problems: Candidate[];
  /** True when the section has a recipe: buildout installs it. */
  part: boolean;
}

/**
 * What buildout installs, memoised per configuration as a lookup: a computation that reads it (a rule, the
 * listing of downloads) depends on the answer, not on the hundreds of sections the walk read. So an edit
 * that the walk reads (a pin in a `[versions]` some part refers to) but that installs nothing else leaves
 * those computations valid.
 */
export function computeInstalled(config: EffectiveConfig, ws: Workspace): Installed {
  return installedParts(config, ws);
}

const installedParts = configLookup<Workspace, Installed>(
  'installed-parts',
  (a, b) => a === b || (sameItems(a.parts, b.parts) && sameMembers(a.accessed, b.accessed) && sameProblems(a.problems, b.problems)),
  walkInstalled,
);

function sameProblems(a: readonly Problem[], b: readonly Problem[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x.file !== y.file || x.start !== y.start || x.end !== y.end || x.code !== y.code || x.severity !== y.severity || x.message !== y.message) return false;
  }
  return true;
}

function walkInstalled(config: EffectiveConfig, ws: Workspace): Installed {
  const accessed = new Set<string>();
  const parts: string[] = [];
  const problems: Problem[] = [];
  const queue: string[] = [];
  const reported = new Set<string>();

  // After MAX_PROBLEM_ATTEMPTS of one code the rest are counted, not located, and summed up in one
  // last problem.
  const attempts = new Map<string, number>();
  const skipped = new Map<string, number>();
  const lastOf = new Map<string, Problem>();
  const take = (step: Step) => {
    for (const c of step.problems) {
      // With an unreadable extended file, the section or option may well be defined there.
      if (config.incomplete && c.code !== 'invalid-reference') continue;
      const n = attempts.get(c.code) ?? 0;
      if (n >= MAX_PROBLEM_ATTEMPTS) { skipped.set(c.code, (skipped.get(c.code) ?? 0) + 1); continue; }
      attempts.set(c.code, n + 1);
      if (c.located === undefined || !stillLocated(ws, c.located)) c.located = keepLocation(ws, c.locate());
      const loc = c.located.at;
      if (!loc) continue;
      const key = `${loc.file}\0${loc.start}\0${c.code}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const problem: Problem = { ...loc, code: c.code, severity: 'error', message: c.message };
      problems.push(problem);
      lastOf.set(c.code, problem);
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
  for (const [code, n] of skipped) {
    const last = lastOf.get(code);
    if (last) problems.push({ ...last, message: `${n} more ${code} problems like this one are not shown.` });
  }
  return { parts, accessed, problems };
}

/** The parts `[buildout] parts` lists (the walk reaches `buildout` itself first). */
function partsStep(config: EffectiveConfig, ws: Workspace): Step {
  const step: Step = { reach: [], problems: [], part: false };
  const partsValue = config.get('buildout', 'parts');
  for (const name of namesIn(partsValue)) {
    if (!config.has(name)) {
      const raw = config.raw('buildout', 'parts');
      problemAt(step, () => raw && locateText(ws, raw, name), 'missing-section', `The part ${excerpt(name)} is listed in [buildout] parts, but no profile of the extends chain defines [${excerpt(name)}].`);
      continue;
    }
    step.reach.push(name);
  }
  return step;
}

function problemAt(step: Step, locate: Candidate['locate'], code: string, message: string): void {
  step.problems.push({ code, message, locate });
}

function sectionStep(config: EffectiveConfig, ws: Workspace, name: string): Step {
  const step: Step = { reach: [], problems: [], part: false };
  const reach = (s: string) => { step.reach.push(s); };
  const section = config.section(name);
  if (!section) return step;

  const checkReference = (option: string, ref: { section: string; option: string; invalid?: string }, text: string) => {
    const value = config.raw(name, option);
    if (!value) return;
    if (ref.invalid) { problemAt(step, () => locateText(ws, value, text, false), 'invalid-reference', ref.invalid); return; }
    const target = ref.section || name;
    if (!config.has(target)) {
      problemAt(step, () => locateText(ws, value, text, false), 'missing-section', `${excerpt(text)} refers to the section [${excerpt(target)}], which no profile of the extends chain defines.`);
      return;
    }
    reach(target);
    const targetSection = config.section(target);
    if (!targetSection || targetSection.has(ref.option) || ALWAYS_DEFINED.has(ref.option)) return;
    // A recipe may compute options at run time (`location`, `egg`, ...): only data sections are certain.
    if (targetSection.has('recipe')) return;
    if (target === 'buildout' && (ref.option in BUILDOUT_DEFAULTS || COMPUTED_BUILDOUT_OPTIONS.has(ref.option))) return;
    if (target === 'buildout') return; // extensions (slapos.rebootstrap, ...) add buildout options.
    problemAt(step, () => locateText(ws, value, text, false), 'missing-option', `${excerpt(text)} refers to the option \`${excerpt(ref.option)}\`, which [${excerpt(target)}] does not define.`);
  };

  section.forEach((value, option) => {
    const refs = ws.referencesIn(value.value);
    for (let i = 0; i < refs.length; i++) checkReference(option, refs[i], value.value.substr(refs[i].index, refs[i].length));
  });
  for (const dep of namesIn(config.get(name, '<part-dependencies>'))) {
    if (config.has(dep)) reach(dep);
    else { const raw = config.raw(name, '<part-dependencies>'); problemAt(step, () => raw && locateValue(ws, raw), 'missing-section', `[${excerpt(name)}] depends on [${excerpt(dep)}], which no profile defines.`); }
  }
  if (name === 'buildout') return step;
  const recipe = config.get(name, 'recipe')?.value.trim();
  if (!recipe) return step;
  step.part = true;
  const { egg, entry } = recipeName(recipe);
  if (egg === 'slapos.recipe.template' && (entry === 'default' || entry === 'jinja2')) reachTemplateInputs(config, ws, name, entry, reach);
  return step;
}

/**
 * The names listed in a value. A `${}` left in place by a failed substitution (a cycle, a missing option)
 * is no name: it was reported where it failed, and reporting it again as a missing part only confuses.
 */
function namesIn(value: { value: string; unresolved: boolean } | undefined): string[] {
  const names = (value?.value ?? '').split(/\s+/).filter(Boolean);
  return value?.unresolved ? names.filter((n) => !n.includes('${')) : names;
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
