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

export function computeInstalled(config: EffectiveConfig, ws: Workspace): Installed {
  const accessed = new Set<string>();
  const parts: string[] = [];
  const problems: Problem[] = [];
  const queue: string[] = [];
  const reported = new Set<string>();

  // Locating a piece of text scans the value it sits in, so a value of 100,000 broken references would
  // cost 100,000 scans of 100,000 lines. After MAX_PROBLEM_ATTEMPTS of one code the rest are counted,
  // not located, and summed up in one last problem.
  const attempts = new Map<string, number>();
  const skipped = new Map<string, number>();
  const lastOf = new Map<string, Problem>();
  const problemAt = (locate: () => { file: string; start: number; end: number } | undefined, code: string, message: string) => {
    // With an unreadable extended file, the section or option may well be defined there.
    if (config.incomplete && code !== 'invalid-reference') return;
    const n = attempts.get(code) ?? 0;
    if (n >= MAX_PROBLEM_ATTEMPTS) { skipped.set(code, (skipped.get(code) ?? 0) + 1); return; }
    attempts.set(code, n + 1);
    const loc = locate();
    if (!loc) return;
    const key = `${loc.file}\0${loc.start}\0${code}`;
    if (reported.has(key)) return;
    reported.add(key);
    const problem: Problem = { ...loc, code, severity: 'error', message };
    problems.push(problem);
    lastOf.set(code, problem);
  };

  const reach = (name: string) => {
    if (!accessed.has(name)) { accessed.add(name); queue.push(name); }
  };

  const checkReference = (from: string, option: string, ref: { section: string; option: string; invalid?: string }, text: string) => {
    const value = config.raw(from, option);
    if (!value) return;
    if (ref.invalid) { problemAt(() => locateText(ws, value, text, false), 'invalid-reference', ref.invalid); return; }
    const target = ref.section || from;
    if (!config.has(target)) {
      problemAt(() => locateText(ws, value, text, false), 'missing-section', `${excerpt(text)} refers to the section [${excerpt(target)}], which no profile of the extends chain defines.`);
      return;
    }
    reach(target);
    const section = config.section(target);
    if (!section || section.has(ref.option) || ALWAYS_DEFINED.has(ref.option)) return;
    // A recipe may compute options at run time (`location`, `egg`, ...): only data sections are certain.
    if (section.has('recipe')) return;
    if (target === 'buildout' && (ref.option in BUILDOUT_DEFAULTS || COMPUTED_BUILDOUT_OPTIONS.has(ref.option))) return;
    if (target === 'buildout') return; // extensions (slapos.rebootstrap, ...) add buildout options.
    problemAt(() => locateText(ws, value, text, false), 'missing-option', `${excerpt(text)} refers to the option \`${excerpt(ref.option)}\`, which [${excerpt(target)}] does not define.`);
  };

  reach('buildout');
  const partsValue = config.get('buildout', 'parts');
  for (const name of namesIn(partsValue)) {
    if (!config.has(name)) {
      const raw = config.raw('buildout', 'parts');
      problemAt(() => raw && locateText(ws, raw, name), 'missing-section', `The part ${excerpt(name)} is listed in [buildout] parts, but no profile of the extends chain defines [${excerpt(name)}].`);
      continue;
    }
    reach(name);
  }

  for (let next = 0; next < queue.length; next++) {
    const name = queue[next];
    const section = config.section(name);
    if (!section) continue;
    for (const [option, value] of section) {
      for (const ref of ws.referencesIn(value.value)) checkReference(name, option, ref, value.value.substr(ref.index, ref.length));
    }
    for (const dep of namesIn(config.get(name, '<part-dependencies>'))) {
      if (config.has(dep)) reach(dep);
      else { const raw = config.raw(name, '<part-dependencies>'); problemAt(() => raw && locateValue(raw), 'missing-section', `[${excerpt(name)}] depends on [${excerpt(dep)}], which no profile defines.`); }
    }
    if (name === 'buildout') continue;
    const recipe = config.get(name, 'recipe')?.value.trim();
    if (!recipe) continue;
    parts.push(name);
    const { egg, entry } = recipeName(recipe);
    if (egg === 'slapos.recipe.template' && (entry === 'default' || entry === 'jinja2')) reachTemplateInputs(config, ws, name, entry, reach);
  }
  for (const [code, n] of skipped) {
    const last = lastOf.get(code);
    if (last) problems.push({ ...last, message: `${n} more ${code} problems like this one are not shown.` });
  }
  return { parts, accessed, problems };
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
