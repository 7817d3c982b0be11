// Which eggs buildout installs for a root profile, and how the effective [versions] pins them. It reads
// requirement lines (`name[extras] ==spec`), the recipes' egg options (zc.recipe.egg and its entry
// points, zc.recipe.testrunner), recipe eggs and `[buildout] extensions`, following `${}` to where each
// name is written. It does not resolve dependencies of eggs (only buildout can), does not evaluate
// environment markers, and skips names a recipe computes at run time (`${ZODB:egg}`) instead of guessing.

import * as path from 'path';
import { Value } from './config';
import { EffectiveConfig, configLookup } from './effective-config';
import { Installed, computeInstalled, recipeName } from './installed';
import { Location, keepLocation, locateValue, stillLocated } from './locate';
import { findReferences } from './references';
import type { Workspace } from '../workspace/workspace';
import { isUrl } from '../workspace/workspace';
import { HeaderAt, Query, sameItems, sameMembers } from './tracking';

export interface VersionSpec { op: string; version: string }

export interface Requirement {
  /** The project name as written. */
  name: string;
  /** The name normalised for matching (see normaliseEggName). */
  key: string;
  extras: string[];
  specs: VersionSpec[];
  /** An environment marker after `;`, kept as text (not evaluated). */
  marker?: string;
}

const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const SPEC = /^\s*(===|==|!=|<=|>=|~=|<|>)\s*([^\s,;()]+)\s*$/;

/**
 * The key two names share when buildout or pip would take them for the same project. Buildout 3.0 keys
 * [versions] by `safe_name(name).lower()` (runs of `[^A-Za-z0-9.]` become `-`), newer buildouts and pip by
 * PEP 503 (runs of `[-_.]` become `-`). Folding every run of non-alphanumerics is at least as permissive as
 * both, so a name either of them would find pinned is never reported.
 */
export function normaliseEggName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Parses one requirement as pkg_resources would (`name`, `[extras]`, `op version, ...`, `; marker`); undefined when it is not one. */
export function parseRequirement(text: string): Requirement | undefined {
  let rest = text.trim();
  const m = PROJECT_NAME.exec(rest);
  if (!m) return undefined;
  const name = m[0];
  rest = rest.slice(name.length).trimStart();
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    extras = rest.slice(1, close).split(',').map((e) => e.trim()).filter(Boolean);
    if (extras.some((e) => !PROJECT_NAME.test(e))) return undefined;
    rest = rest.slice(close + 1).trimStart();
  }
  let marker: string | undefined;
  const semicolon = rest.indexOf(';');
  if (semicolon >= 0) { marker = rest.slice(semicolon + 1).trim(); rest = rest.slice(0, semicolon).trim(); }
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  const specs: VersionSpec[] = [];
  if (rest) {
    for (const piece of rest.split(',')) {
      const s = SPEC.exec(piece);
      if (!s) return undefined;
      specs.push({ op: s[1], version: s[2] });
    }
  }
  return { name, key: normaliseEggName(name), extras, specs, ...(marker !== undefined ? { marker } : {}) };
}

/** Buildout's own test: a requirement with exactly one `==` spec needs no [versions] entry. */
export function isPinnedByItself(req: Requirement): boolean {
  return req.specs.length === 1 && req.specs[0].op === '==';
}

export interface VersionValue {
  /** True when buildout would install exactly this version (`x`, `==x`, `x:whl`, `x+local`). */
  pinned: boolean;
  /** The version without `==` and SlapOS's `:whl` suffix; '' when not pinned. */
  version: string;
}

/**
 * Reads a [versions] value as zc.buildout's `_constrained_requirement` does: empty means no constraint,
 * a value starting with `<` or `>` (or `!=`, `~=`) is a range, anything else is an exact version.
 */
export function readVersionValue(value: string): VersionValue {
  const v = value.trim();
  if (!v || /^[<>!~]/.test(v)) return { pinned: false, version: '' };
  const version = v.replace(/^===?\s*/, '').replace(/:whl$/, '').trim();
  return version ? { pinned: true, version } : { pinned: false, version: '' };
}

export interface VersionEntry {
  /** The key as written in the versions section. */
  name: string;
  /** The value after substitution. */
  value: string;
  pin: VersionValue;
  raw: Value;
}

export interface VersionsTable {
  /** Name of the effective versions section ('' when `[buildout] versions` is empty). */
  section: string;
  /** Entries by normalised egg name; the newest entry wins when two keys normalise alike. */
  entries: Map<string, VersionEntry>;
}

/**
 * The entry a literal pin gives, by its Value (the same object while its text is): an edit of one pin
 * re-reads that pin, not the five hundred others. A value with `${}` is read again each time.
 */
const literalEntries = new WeakMap<Value, { key: string; entry: VersionEntry }>();

export function readVersions(config: EffectiveConfig): VersionsTable {
  const section = config.versionsSectionName();
  const entries = new Map<string, VersionEntry>();
  // The whole section is read (and recorded as read) here: the literal pins need no substitution.
  const data = section ? config.section(section) : undefined;
  if (data) {
    for (const [name, raw] of data) {
      const known = literalEntries.get(raw);
      if (known && known.entry.name === name) { entries.set(known.key, known.entry); continue; }
      const resolved = config.get(section, name);
      const value = resolved?.value ?? raw.value;
      // A pin written with an unresolvable `${}` is still a pin as far as a static check can tell.
      const pin = resolved?.unresolved && value.trim() ? { pinned: true, version: value.trim() } : readVersionValue(value);
      const key = normaliseEggName(name);
      const entry = { name, value, pin, raw };
      if (!raw.value.includes('${')) literalEntries.set(raw, { key, entry });
      entries.set(key, entry);
    }
  }
  return { section, entries };
}

type HeaderQuery = Query<{ ws: Workspace; name: string; prefer?: string }, Location | undefined> & {
  compute(config: EffectiveConfig, arg: { ws: Workspace; name: string; prefer?: string }): Location | undefined;
};

/** Memoised per configuration; a computation that reads it depends on the location found only. */
const SECTION_HEADER: HeaderQuery = {
  id: 'section-header',
  key: (a) => `${a.name}\0${a.prefer ?? ''}`,
  equals: (a, b) => a === b || (!!a && !!b && a.file === b.file && a.start === b.start && a.end === b.end),
  compute(config, { name, prefer }) {
    const headers = config.headers(name);
    const at = (h: HeaderAt): Location => ({ file: h.file, start: h.section.nameStart, end: h.section.nameEnd });
    if (prefer) { const h = headers.find((x) => x.file === prefer); if (h) return at(h); }
    // The first header of the root-most file that writes one.
    for (let i = headers.length - 1; i >= 0; i--) {
      if (i === 0 || headers[i - 1].file !== headers[i].file) return at(headers[i]);
    }
    return undefined;
  },
};

/** Where a section's `[name]` header is written, preferring `file` when it has one. */
export function locateSectionHeader(ws: Workspace, config: EffectiveConfig, name: string, preferFile?: string): Location | undefined {
  return config.lookup(SECTION_HEADER, { ws, name, prefer: preferFile });
}

type VersionsFileQuery = Query<{ ws: Workspace; section: string }, string> & { compute(config: EffectiveConfig, arg: { ws: Workspace; section: string }): string };

const VERSIONS_FILE: VersionsFileQuery = {
  id: 'versions-file',
  key: (a) => a.section,
  equals: (a, b) => a === b,
  compute(config, { section }) {
    const writers: { file: string; pins: number }[] = [];
    const headers = config.headers(section);
    for (let i = headers.length - 1; i >= 0; i--) {
      const h = headers[i];
      if (isUrl(h.file) || h.section.condition) continue;
      const last = writers[writers.length - 1];
      if (last?.file === h.file) last.pins += h.section.options.length;
      else writers.push({ file: h.file, pins: h.section.options.length });
    }
    const root = config.root;
    if (writers.some((w) => w.file === root)) return root;
    const folder = path.dirname(root) + path.sep;
    const near = writers.find((w) => w.file.startsWith(folder));
    if (near) return near.file;
    let best: { file: string; pins: number } | undefined;
    for (const w of writers) if (!best || w.pins > best.pins) best = w;
    return best?.file ?? root;
  },
};

/**
 * The file whose `[versions]` (or renamed) section receives new pins, among local files that write an
 * unconditional header for it: the root profile itself; else the root-most such file in the root's own
 * folder (a release's `software-common.cfg`); else the file that writes the most pins (where the pins of
 * the chain live: SlapOS's `stack/slapos.cfg`, a plain buildout's `versions.cfg`), the root-most on a tie.
 * The root-most file of the whole chain is not used on its own: in SlapOS it is often a small shared
 * component listed last to override a few pins (erp5 ends with `component/scipy/python2.cfg`). When no
 * file writes the section, the root profile gets a new one. Downloaded profiles cannot be edited.
 */
export function versionsFileOf(ws: Workspace, config: EffectiveConfig, section: string): string {
  return config.lookup(VERSIONS_FILE, { ws, section });
}

/** How an option names eggs: one requirement per line, whitespace-separated words, or a recipe spec. */
type EggListKind = 'lines' | 'words' | 'recipe';

interface EggOption {
  option: string;
  kind: EggListKind;
  /** When the option is absent, this option is read instead. */
  fallback?: string;
  /** When neither is present, the section's own name is the egg. */
  defaultsToSectionName?: boolean;
}

const SCRIPTS: EggOption[] = [{ option: 'eggs', kind: 'lines', defaultsToSectionName: true }];

/**
 * What each recipe installs from an index, keyed `egg:entry` with the egg name normalised. From the
 * recipes' sources: zc.recipe.egg's Scripts and Eggs read `eggs` (default: the section name); the SlapOS
 * zc.recipe.egg's Custom builds `egg` (else `eggs`, else the section name) after installing `setup-eggs`;
 * its Develop installs only `setup-eggs` (the developed egg needs no pin); zc.recipe.testrunner installs
 * `eggs`. Recipes that only look eggs up (slapos.cookbook:promise.plugin uses `working_set`) or keep egg
 * names as data (slapos.recipe.build's `egg`) install nothing and are not listed.
 */
const RECIPE_EGG_OPTIONS: Record<string, EggOption[]> = {
  'zc-recipe-egg:default': SCRIPTS,
  'zc-recipe-egg:scripts': SCRIPTS,
  'zc-recipe-egg:script': SCRIPTS,
  'zc-recipe-egg:eggs': SCRIPTS,
  'zc-recipe-egg:custom': [
    { option: 'egg', kind: 'lines', fallback: 'eggs', defaultsToSectionName: true },
    { option: 'setup-eggs', kind: 'lines' },
  ],
  'zc-recipe-egg:develop': [{ option: 'setup-eggs', kind: 'lines' }],
  'zc-recipe-testrunner:default': [{ option: 'eggs', kind: 'lines' }],
};

export interface EggRequest {
  requirement: Requirement;
  /** The requirement text after substitution. */
  text: string;
  /** The section that requests it (`buildout` for extensions). */
  part: string;
  /** The option that names it: `recipe`, `eggs`, `egg`, `setup-eggs`, `extensions`; '' when it is the section's name. */
  option: string;
  /** Where the name is written (the literal text, possibly in another section reached through `${}`): see locateRequest. */
  place?: EggPlace;
  /** The `${section:option}` the requesting option went through to reach the name, when it did. */
  via?: string;
}

/**
 * How to find where an egg name is written: a line of an option's value, or the header of a section
 * whose name is the egg. Kept instead of the offsets, which are read only for the names a finding is
 * about: an edit above a thousand pinned names then moves nothing that the memoised requests hold.
 */
export type EggPlace = { value: Value; line: string } | { section: string };

/** Where a request's name is written, in the configuration and texts of now. */
export function locateRequest(ws: Workspace, config: EffectiveConfig, request: EggRequest): Location | undefined {
  const place = request.place;
  if (!place) return undefined;
  const at = 'section' in place ? sectionNameLocation(ws, config, place.section) : locateLine(ws, place.value, place.line);
  return at && (narrowTo(ws, at, request.requirement.name) ?? at);
}

export interface SkippedEgg {
  part: string;
  option: string;
  text: string;
  reason: 'computed-by-a-recipe' | 'not-a-requirement';
}

export interface RequestedEggs {
  requests: EggRequest[];
  skipped: SkippedEgg[];
  /** Normalised names of develop eggs (`[buildout] develop`, installed zc.recipe.egg:develop parts): they need no pin. */
  develop: Set<string>;
}

interface WrittenLine {
  text: string;
  unresolved: boolean;
  /** Where the line (or the name in it) was written. */
  place?: EggPlace;
  /** The first whole-line reference followed to reach this line. */
  via?: string;
}

/** Every egg the installed parts and extensions ask buildout to install, with where each name is written. */
export function requestedEggs(config: EffectiveConfig, ws: Workspace): RequestedEggs {
  return requested(config, ws);
}

/**
 * Memoised as a whole, as a lookup: editing a pin leaves it as it was, and what reads it depends on the
 * requests (the same objects while each part's are reused), not on the thousands of reads behind them.
 */
const requested = configLookup<Workspace, RequestedEggs>(
  'requested-eggs',
  (a, b) => a === b || (sameItems(a.requests, b.requests) && sameItems(a.skipped, b.skipped) && sameMembers(a.develop, b.develop)),
  (config, ws) => listRequestedEggs(config, computeInstalled(config, ws), ws),
);

function listRequestedEggs(config: EffectiveConfig, installed: Installed, ws: Workspace): RequestedEggs {
  const requests: EggRequest[] = [];
  const skipped: SkippedEgg[] = [];
  const develop = developEggNames(config, installed, ws);
  // Each part's requests are memoised on the configuration: an edit re-reads only the parts it touched.
  const add = (r: { requests: EggRequest[]; skipped: SkippedEgg[] }) => {
    for (const x of r.requests) requests.push(x);
    for (const x of r.skipped) skipped.push(x);
  };
  add(config.derive('eggs', '[buildout] extensions', () => {
    const out = { requests: [] as EggRequest[], skipped: [] as SkippedEgg[] };
    const extensions = config.raw('buildout', 'extensions');
    if (extensions) takeEggs(ws, out, 'buildout', 'extensions', expandOption(config, ws, 'buildout', 'extensions', new Set()), 'words');
    return out;
  }));
  for (const part of installed.parts) add(config.derive('eggs', part, () => partEggs(config, ws, part)));
  return { requests, skipped, develop };
}

function partEggs(config: EffectiveConfig, ws: Workspace, part: string): { requests: EggRequest[]; skipped: SkippedEgg[] } {
  const out = { requests: [] as EggRequest[], skipped: [] as SkippedEgg[] };
  const recipe = config.get(part, 'recipe')?.value.trim();
  if (!recipe) return out;
  takeEggs(ws, out, part, 'recipe', expandOption(config, ws, part, 'recipe', new Set()), 'recipe');
  const { egg, entry } = recipeName(recipe);
  const options = RECIPE_EGG_OPTIONS[`${parseRequirement(egg)?.key ?? normaliseEggName(egg)}:${entry}`];
  if (!options) return out;
  for (const o of options) {
    const option = config.raw(part, o.option) ? o.option : o.fallback && config.raw(part, o.fallback) ? o.fallback : undefined;
    if (option) takeEggs(ws, out, part, option, expandOption(config, ws, part, option, new Set()), o.kind);
    else if (o.defaultsToSectionName) takeEggs(ws, out, part, '', [{ text: part, unresolved: false, place: { section: part } }], o.kind);
  }
  return out;
}

function takeEggs(ws: Workspace, out: { requests: EggRequest[]; skipped: SkippedEgg[] }, part: string, option: string, lines: WrittenLine[], kind: EggListKind): void {
  for (const line of lines) {
    const pieces = kind === 'words' ? line.text.split(/\s+/) : [line.text];
    for (const piece of pieces) {
      let text = piece.trim();
      if (!text) continue;
      if (line.unresolved) { out.skipped.push({ part, option, text, reason: 'computed-by-a-recipe' }); continue; }
      if (kind === 'recipe') text = text.split(':')[0].trim();
      const requirement = parseRequirement(text);
      if (!requirement) { out.skipped.push({ part, option, text, reason: 'not-a-requirement' }); continue; }
      out.requests.push({ requirement, text, part, option, place: line.place, ...(line.via ? { via: line.via } : {}) });
    }
  }
}

/**
 * The lines of an option after substitution, each with where it was written. A line that is one whole
 * `${section:option}` is followed into that option (recursively), so a name is located where it is typed;
 * a line mixing text and references is substituted in place and located on the line itself.
 */
function expandOption(config: EffectiveConfig, ws: Workspace, section: string, option: string, visiting: Set<string>): WrittenLine[] {
  const key = `${section}\0${option}`;
  const raw = config.raw(section, option);
  if (!raw || visiting.has(key)) return [{ text: raw?.value ?? '', unresolved: true }];
  visiting.add(key);
  const out: WrittenLine[] = [];
  for (const rawLine of raw.value.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    const refs = findReferences(line);
    if (!refs.length) { out.push({ text: line, unresolved: false, place: { value: raw, line } }); continue; }
    const whole = refs.length === 1 && refs[0].index === 0 && refs[0].length === line.length && !refs[0].invalid;
    if (whole) {
      const target = refs[0].section || section;
      if (refs[0].option === '_buildout_section_name_' && !config.raw(target, '_buildout_section_name_')) {
        out.push({ text: target, unresolved: false, place: { section: target } });
      } else if (config.raw(target, refs[0].option)) {
        for (const sub of expandOption(config, ws, target, refs[0].option, visiting)) out.push({ ...sub, via: line });
      } else out.push({ text: line, unresolved: true });
      continue;
    }
    const substituted = substituteLine(config, section, line);
    const place = { value: raw, line };
    for (const piece of substituted.value.split('\n')) {
      if (piece.trim()) out.push({ text: piece.trim(), unresolved: substituted.unresolved, place });
    }
  }
  visiting.delete(key);
  return out;
}

/** Substitutes the `${}` of one line in the context of `section`, as EffectiveConfig.get does for a whole option. */
function substituteLine(config: EffectiveConfig, section: string, line: string): { value: string; unresolved: boolean } {
  let value = '';
  let last = 0;
  let unresolved = false;
  for (const ref of findReferences(line)) {
    value += line.slice(last, ref.index);
    last = ref.index + ref.length;
    const target = ref.section || section;
    const got = ref.invalid ? undefined : config.get(target, ref.option);
    if (got) { value += got.value; unresolved ||= got.unresolved; }
    else if (!ref.invalid && ref.option === '_buildout_section_name_') value += target;
    else { unresolved = true; value += line.substr(ref.index, ref.length); }
  }
  return { value: value + line.slice(last), unresolved };
}

/** The written line of `value` whose trimmed text is `line` (newest origin first); the whole value otherwise. */
function locateLine(ws: Workspace, value: Value, line: string): Location | undefined {
  // Memoised on the Value, which stays the same object while its text does (scanning every written line
  // for each line of a long `eggs` list is quadratic); an edit above it may still have moved it.
  const kept = ws.memo(value, `locateLine\0${line}`, () => keepLocation(ws, locateLineNow(ws, value, line)));
  if (!stillLocated(ws, kept)) Object.assign(kept, keepLocation(ws, locateLineNow(ws, value, line)));
  return kept.at ?? undefined;
}

function locateLineNow(ws: Workspace, value: Value, line: string): Location | undefined {
  for (let i = value.origins.length - 1; i >= 0; i--) {
    const o = value.origins[i];
    if (!o.option || o.operation === 'REMOVE') continue;
    const syntax = ws.syntaxOf(o.file);
    if (!syntax) continue;
    for (const l of o.option.lines) {
      const written = syntax.text.slice(l.start, l.end);
      const at = written.indexOf(line);
      if (at >= 0 && written.trim() === line) return { file: o.file, start: l.start + at, end: l.start + at + line.length };
      // Whitespace-separated values (extensions) may hold several names on one written line.
      if (at >= 0 && isToken(written, at, line.length)) return { file: o.file, start: l.start + at, end: l.start + at + line.length };
    }
  }
  return locateValue(ws, value);
}

/** Narrows a location to the first occurrence of `name` in it, as a whole project name. */
function narrowTo(ws: Workspace, loc: Location, name: string): Location | undefined {
  const text = ws.syntaxOf(loc.file)?.text;
  if (text === undefined) return undefined;
  const span = text.slice(loc.start, loc.end);
  let from = 0;
  for (;;) {
    const at = span.indexOf(name, from);
    if (at < 0) return undefined;
    const before = span.charAt(at - 1), after = span.charAt(at + name.length);
    if (!/[A-Za-z0-9._-]/.test(before) && !/[A-Za-z0-9_-]/.test(after) && !(after === '.' && /[A-Za-z0-9]/.test(span.charAt(at + name.length + 1)))) {
      return { file: loc.file, start: loc.start + at, end: loc.start + at + name.length };
    }
    from = at + 1;
  }
}

function isToken(text: string, at: number, length: number): boolean {
  const before = text.charAt(at - 1), after = text.charAt(at + length);
  return (before === '' || /\s/.test(before)) && (after === '' || /\s/.test(after));
}

/** Where a section's name is written, for eggs that default to it: its header in the file that set its recipe. */
function sectionNameLocation(ws: Workspace, config: EffectiveConfig, section: string): Location | undefined {
  const recipe = config.raw(section, 'recipe');
  const origin = recipe && [...recipe.origins].reverse().find((o) => o.option);
  return locateSectionHeader(ws, config, section, origin?.file) ?? (recipe && locateValue(ws, recipe));
}

/**
 * Names of the eggs buildout treats as develop eggs: those of `[buildout] develop` directories, and those
 * installed zc.recipe.egg:develop parts build. A develop egg's real name is in its setup.py, usually inside
 * a checkout that does not exist before building, so besides the `egg` option (a SlapOS convention) and
 * the setup files when they exist, the names SlapOS gives such parts count as candidates: the section
 * name without `-develop`/`-dev`/`-build` (`[neoppod-develop]`), and the checkout section that `setup`
 * names without `-repository`/`.git`, or its repository URL's last segment (`cloudooo.git`). A candidate
 * that is not the real name only hides a finding; it never creates one.
 */
function developEggNames(config: EffectiveConfig, installed: Installed, ws: Workspace): Set<string> {
  const names = new Set<string>();
  for (const n of config.derive('develop', '[buildout] develop', () => buildoutDevelopNames(config, ws))) names.add(n);
  for (const part of installed.parts) {
    // Only zc.recipe.egg:develop parts build develop eggs (the recipe's value is memoised on the configuration).
    if (!/develop/i.test(config.get(part, 'recipe')?.value ?? '')) continue;
    for (const n of config.derive('develop', part, () => developPartNames(config, ws, part))) names.add(n);
  }
  return names;
}

function buildoutDirectoryOf(config: EffectiveConfig): string {
  return config.get('buildout', 'directory')?.value.trim() || path.dirname(config.root);
}

/** The develop eggs of `[buildout] develop` directories. */
function buildoutDevelopNames(config: EffectiveConfig, ws: Workspace): string[] {
  const names: string[] = [];
  const add = (name: string | undefined) => { if (name) names.push(normaliseEggName(name)); };
  const directory = buildoutDirectoryOf(config);
  for (const dir of (config.get('buildout', 'develop')?.value ?? '').split(/\s+/).filter(Boolean)) {
    const full = path.resolve(directory, dir);
    add(path.basename(full));
    add(projectNameIn(ws, full));
  }
  return names;
}

/** The develop egg names an installed zc.recipe.egg:develop part may build (none for other parts). */
function developPartNames(config: EffectiveConfig, ws: Workspace, part: string): string[] {
  const names: string[] = [];
  const add = (name: string | undefined) => { if (name) names.push(normaliseEggName(name)); };
  const recipe = config.get(part, 'recipe')?.value.trim();
  if (!recipe) return names;
  const { egg, entry } = recipeName(recipe);
  if (parseRequirement(egg)?.key !== 'zc-recipe-egg' || entry !== 'develop') return names;
  const directory = buildoutDirectoryOf(config);
  const name = config.get(part, 'egg');
  if (name && !name.unresolved) add(parseRequirement(name.value)?.name);
  add(part.replace(/[-_.](develop|dev|build)$/i, ''));
  const setup = config.get(part, 'setup');
  if (setup && !setup.unresolved) add(projectNameIn(ws, path.resolve(directory, setup.value.trim())));
  const ref = findReferences(config.raw(part, 'setup')?.value ?? '').find((r) => r.section && !r.invalid);
  if (ref) {
    add(ref.section.replace(/\.git$/i, '').replace(/[-_.](repository|repo|checkout|git)$/i, ''));
    const url = config.get(ref.section, 'repository')?.value.trim();
    if (url) add(url.replace(/\/+$/, '').split('/').pop()!.replace(/\.git$/i, ''));
  }
  return names;
}

function projectNameIn(ws: Workspace, dir: string): string | undefined {
  const patterns: [string, RegExp][] = [
    ['pyproject.toml', /^\s*name\s*=\s*["']([^"']+)["']/m],
    ['setup.cfg', /^\s*name\s*=\s*(\S+)\s*$/m],
    ['setup.py', /\bname\s*=\s*["']([^"']+)["']/],
  ];
  for (const [file, re] of patterns) {
    const text = ws.readText(path.join(dir, file));
    if (!('text' in text)) continue;
    const m = re.exec(text.text);
    if (m) return m[1];
  }
  return undefined;
}
