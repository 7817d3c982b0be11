// Lists every file buildout downloads for the installed parts of a root profile, with where its URL or
// path is written and where its md5sum is (or would be) written: download and build recipes' `url`,
// template recipes' `url` or old `template`, patches (`path#md5`, `path md5`), cmmi hooks
// (`path#md5:function`) and the `buildout.hash.cfg` entries that feed them. Every `${}` is followed to
// the literal text, so an md5sum kept in a hash file is located there.
// It reads no file contents and no network: rules compare digests, fixes download.

import * as path from 'path';
import { fileURLToPath } from 'url';
import { EffectiveConfig, ResolvedValue, configLookup } from './effective-config';
import { Installed, computeInstalled, recipeName } from './installed';
import { findReferences } from './references';
import { dirnameOf } from './file-config';
import { Location, locateValue } from './locate';
import { OptionSyntax, ProfileSyntax, SectionSyntax } from '../syntax/parse-profile';
import type { Workspace } from '../workspace/workspace';
import { canonical, isUrl } from '../workspace/workspace';
import type { HashAlgorithm } from '../workspace/file-digests';
import { Query, sameItems } from './tracking';

/**
 * Where a hash goes: the text at [start, end) of `file` (which is `current` today) becomes
 * `prefix + hex + suffix`. An existing md5sum is replaced in place; a missing one is inserted
 * (`start === end`, `current === ''`) as a new `md5sum = ` line or a `#` fragment.
 */
export interface HashEdit extends Location { current: string; prefix: string; suffix: string }

export interface DeclaredHash {
  algorithm: HashAlgorithm;
  /** The value buildout compares with, after substitution. */
  value: string;
  /** Where that value is written as literal text, when it could be followed there. */
  at?: Location;
}

export type DownloadForm = 'url' | 'template' | 'patch' | 'hook' | 'hash-entry';

export interface Download {
  /** The installed section that downloads the file. */
  part: string;
  recipe: string;
  /** The option that names the file: `url`, `template`, `patches`, `Zope-patches`, `post-make-hook`... */
  option: string;
  form: DownloadForm;
  /** The URL or path as written after substitution (fragment and callable removed). */
  target: string;
  /** The absolute local path, when the target is not a remote URL (`file://` is local). */
  local?: string;
  /** True when some `${}` of the target could not be resolved: nothing can be judged. */
  unresolved: boolean;
  /** Where the URL or the file name is written (a hash file's `filename` when that names it). */
  at?: Location;
  md5?: DeclaredHash;
  /** sha256sum / sha512sum declared as well as (or instead of) an md5sum. */
  otherHashes: DeclaredHash[];
  /** Where the right md5sum must be written; absent when no safe place was found. */
  md5Edit?: HashEdit;
}

const HASH_FILE = 'buildout.hash.cfg';
const MD5 = /^[0-9a-fA-F]{32}$/;
const SINGLE_REFERENCE = /^\$\{([-a-zA-Z0-9 ._]*):([-a-zA-Z0-9 ._]+)\}$/;
const BASE_LOCATION = '${:_profile_base_location_}';
/** Directories buildout builds into; in SlapOS `directory` is the software release's, not the profile's. */
const BUILD_DIRECTORIES = new Set(['directory', 'parts-directory', 'bin-directory', 'eggs-directory', 'develop-eggs-directory']);

export function isHashFile(file: string): boolean { return path.basename(file) === HASH_FILE; }

/**
 * The downloads of the installed parts, listed once per configuration and shared by the rules that judge
 * them. A lookup: a rule that reads them depends on the list (each part's downloads are the same objects
 * while they are reused), not on everything the listing read.
 */
export function downloadsOf(ws: Workspace, config: EffectiveConfig): Download[] {
  return listedDownloads(config, ws);
}

const listedDownloads = configLookup<Workspace, Download[]>('downloads-listed', sameItems, (config, ws) => listDownloads(config, computeInstalled(config, ws), ws));

/**
 * What a finding about a download carries for its fix (the finding's `data`): the file to hash, as a
 * local path or a remote URL, and where the md5sum must be written.
 */
export interface Md5FindingData {
  part: string;
  option: string;
  path?: string;
  url?: string;
  edit?: HashEdit;
}

export function md5FindingData(d: Download): Md5FindingData {
  return { part: d.part, option: d.option, ...(d.local ? { path: d.local } : { url: d.target }), ...(d.md5Edit ? { edit: d.md5Edit } : {}) };
}

/**
 * The download whose file name, md5sum or md5sum insertion point is at `offset` of `file`: what a
 * "compute the md5sum here" command acts on. Undefined when the offset is on none of them.
 */
export function findDownloadAt(downloads: readonly Download[], file: string, offset: number): Download | undefined {
  const inside = (l: Location | undefined) => !!l && l.file === file && l.start <= offset && offset <= l.end;
  return downloads.find((d) => inside(d.md5?.at)) ?? downloads.find((d) => inside(d.at) || inside(d.md5Edit));
}

/** How a finding names the downloaded file: a local path relative to the file the finding sits in. */
export function shownTarget(d: Download, findingFile: string): string {
  if (!d.local) return d.target;
  const relative = path.relative(path.dirname(findingFile), d.local);
  return relative || path.basename(d.local);
}

/** What the part does with the file, for messages. */
/** What a part does with the file, as a phrase around `what` ("runs X as a hook"). */
export function downloadVerb(d: Download, what = 'it'): string {
  switch (d.form) {
    case 'template': return `renders ${what}`;
    case 'patch': return `applies ${what} as a patch`;
    case 'hook': return `runs ${what} as a hook`;
    case 'hash-entry': return `has a buildout.hash.cfg entry for ${what}`;
    default: return `downloads ${what}`;
  }
}

/** Every download of the installed parts, in part order. Never throws on odd values: they are skipped. */
export function listDownloads(config: EffectiveConfig, installed: Installed, ws: Workspace): Download[] {
  const lister = new DownloadLister(config, ws);
  // Each part's downloads are memoised on the configuration: an edit lists again only the parts it touched.
  for (const part of installed.parts) {
    const listed = config.derive('downloads', part, () => {
      const own = new DownloadLister(config, ws);
      own.listPart(part);
      return own.downloads;
    });
    for (const d of listed) lister.downloads.push(d);
  }
  lister.addHashEntries();
  return lister.downloads;
}

type BlockEnd = { file: string; offset: number; eol: string };

/**
 * The end of the last unconditional `[part]` block of the chain (the root-most file that writes one), and
 * that file's line ending: where a part's new option goes. Memoised per configuration; a listing that
 * reads it depends on this answer only, not on every file it searched.
 */
const OWN_BLOCK_END: Query<{ ws: Workspace; part: string }, BlockEnd | undefined> & { compute(config: EffectiveConfig, arg: { ws: Workspace; part: string }): BlockEnd | undefined } = {
  id: 'own-block-end',
  key: (a) => a.part,
  equals: (a, b) => a === b || (!!a && !!b && a.file === b.file && a.offset === b.offset && a.eol === b.eol),
  compute(config, { ws, part }) {
    const headers = config.headers(part);
    for (let i = headers.length - 1; i >= 0; i--) {
      const { file, section: own } = headers[i];
      if (own.condition !== undefined) continue;
      const text = ws.syntaxOf(file)?.text ?? '';
      const last = own.options[own.options.length - 1];
      return { file, offset: last ? Math.max(last.valueEnd, last.nameEnd) : own.headerEnd, eol: text.includes('\r\n') ? '\r\n' : '\n' };
    }
    return undefined;
  },
};

/** A piece of a value located in its file: one whitespace-separated token of one origin's text. */
interface SourceToken { file: string; start: number; end: number; text: string; resolved: ResolvedValue; section: string }

class DownloadLister {
  readonly downloads: Download[] = [];
  private directory: string | undefined;
  private readonly syntaxes = new Map<string, ProfileSyntax | undefined>();

  constructor(private readonly config: EffectiveConfig, private readonly ws: Workspace) {}

  /** `${buildout:directory}`, read when first needed (so that a memoised listing records the read). */
  private get buildoutDirectory(): string {
    return (this.directory ??= this.config.get('buildout', 'directory')?.value.trim() || dirnameOf(this.config.root));
  }

  listPart(part: string): void {
    const recipe = this.config.get(part, 'recipe')?.value.trim() ?? '';
    const { egg, entry } = recipeName(recipe);
    const section = this.config.section(part);
    if (!section) return;
    const fileOption = this.fileOption(egg, entry, part);
    if (fileOption) this.listUrl(part, recipe, fileOption, egg === 'slapos.recipe.template' ? 'template' : 'url');
    for (const option of section.keys()) {
      if (option === 'patches' || option.endsWith('-patches')) this.listTokens(part, recipe, option, 'patch');
      else if (option.endsWith('-hook') && (egg === 'slapos.recipe.cmmi' || egg === 'hexagonit.recipe.cmmi')) this.listTokens(part, recipe, option, 'hook');
    }
  }

  /** The option whose value names the file a recipe downloads, if it downloads one. */
  private fileOption(egg: string, entry: string, part: string): string | undefined {
    const has = (o: string) => this.config.raw(part, o) !== undefined;
    switch (egg) {
      case 'slapos.recipe.build':
        if (entry === 'download' || entry === 'download-unpacked') return has('url') ? 'url' : undefined;
        return entry === 'default' && has('url') ? 'url' : undefined;
      case 'slapos.recipe.cmmi':
      case 'hexagonit.recipe.cmmi':
      case 'hexagonit.recipe.download':
        return entry === 'default' && has('url') ? 'url' : undefined;
      case 'slapos.recipe.template':
        if (entry !== 'default' && entry !== 'jinja2') return undefined;
        if (has('inline')) return undefined;
        if (has('url')) return 'url';
        if (has('template') && !(this.config.get(part, 'template')?.value ?? '').trimStart().startsWith('inline:')) return 'template';
        return undefined;
      default:
        return undefined;
    }
  }

  private listUrl(part: string, recipe: string, option: string, form: DownloadForm): void {
    const value = this.config.get(part, option);
    const raw = this.config.raw(part, option);
    if (!value || !raw) return;
    const written = value.value.trim();
    if (!written || /\s/.test(written) || this.isBuildProduct(part, raw.value)) return;
    const { target, local } = this.placeOf(written);
    const download: Download = { part, recipe, option, form, target, local, unresolved: value.unresolved, otherHashes: [] };
    download.at = (local && this.lastComponentSpot(part, raw.value)) || locateValue(this.ws, raw);
    const md5 = this.declaredHash(part, 'md5sum', 'md5');
    if (md5) download.md5 = md5;
    for (const [o, algorithm] of [['sha256sum', 'sha256'], ['sha512sum', 'sha512']] as const) {
      const h = this.declaredHash(part, o, algorithm);
      if (h) download.otherHashes.push(h);
    }
    if (!md5) download.md5Edit = this.emptyMd5Edit(part) ?? this.newMd5OptionEdit(part, raw.value, 'md5sum');
    else if (md5.at && this.isInheritedFromMacro(part, md5.at)) {
      // The value is shared with every section using that macro: override it in the part's own section.
      download.md5Edit = this.newMd5OptionEdit(part, raw.value, this.literalOf(part, 'md5sum', 0)?.option ?? 'md5sum');
    } else download.md5Edit = md5.at && this.replaceEdit(md5.at);
    this.downloads.push(download);
  }

  /** `patches`, `<egg>-patches` and hooks: one download per `path#md5`, `path md5` or `path#md5:function`. */
  private listTokens(part: string, recipe: string, option: string, form: 'patch' | 'hook'): void {
    const value = this.config.get(part, option);
    if (!value) return;
    const present = new Map<string, number>();
    for (const t of value.value.split(/\s+/).filter(Boolean)) present.set(t, (present.get(t) ?? 0) + 1);
    for (const line of this.sourceLines(part, option, 0)) {
      const pair = form === 'patch' && line.length === 2 && MD5.test(line[1].resolved.value.trim());
      const tokens = pair ? [line[0]] : line;
      for (const token of tokens) {
        const resolved = token.resolved.value.trim();
        const left = present.get(resolved) ?? 0;
        if (left <= 0) continue; // removed by `-=`, or not part of the effective value
        present.set(resolved, left - 1);
        this.addToken(part, recipe, option, form, token, pair ? line[1] : undefined);
      }
    }
  }

  private addToken(part: string, recipe: string, option: string, form: 'patch' | 'hook', token: SourceToken, pairedMd5?: SourceToken): void {
    let resolved = token.resolved.value.trim();
    let sourceEnd = token.text.length;
    if (form === 'hook') {
      const colon = resolved.lastIndexOf(':');
      const sourceColon = token.text.lastIndexOf(':');
      if (colon <= 0 || sourceColon <= 0 || resolved.slice(colon).includes('/')) return; // not `file:function`
      resolved = resolved.slice(0, colon);
      sourceEnd = sourceColon;
    }
    const hash = resolved.indexOf('#');
    const written = hash >= 0 ? resolved.slice(0, hash) : resolved;
    const fragment = hash >= 0 ? resolved.slice(hash + 1) : undefined;
    if (!written.includes('/') && !isUrl(written)) return; // not a file name (e.g. an option left empty)
    if (this.isBuildProduct(token.section, token.text)) return;
    const { target, local } = this.placeOf(written);
    const source = token.text.slice(0, sourceEnd);
    const sourceHash = source.indexOf('#');
    const pathSource = sourceHash >= 0 ? source.slice(0, sourceHash) : source;
    const download: Download = { part, recipe, option, form, target, local, unresolved: token.resolved.unresolved, otherHashes: [] };
    download.at = (local && this.lastComponentSpotInText(token.section, pathSource)) || { file: token.file, start: token.start, end: token.start + pathSource.length };
    if (pairedMd5) {
      const md5Text = pairedMd5.text;
      const at = SINGLE_REFERENCE.test(md5Text) ? this.traceReference(token.section, md5Text)?.at : { file: pairedMd5.file, start: pairedMd5.start, end: pairedMd5.end };
      download.md5 = { algorithm: 'md5', value: pairedMd5.resolved.value.trim(), at };
    } else if (fragment !== undefined && fragment !== '') {
      const fragmentSource = sourceHash >= 0 ? source.slice(sourceHash + 1) : '';
      let at: Location | undefined;
      if (SINGLE_REFERENCE.test(fragmentSource)) at = this.traceReference(token.section, fragmentSource)?.at;
      else if (fragmentSource === fragment) at = { file: token.file, start: token.start + sourceHash + 1, end: token.start + source.length };
      download.md5 = { algorithm: 'md5', value: fragment, at };
    }
    if (download.md5) download.md5Edit = download.md5.at && this.replaceEdit(download.md5.at);
    else {
      // `path#` with an empty fragment keeps its `#`; otherwise the fragment is added after the path.
      const end = token.start + (sourceHash >= 0 ? sourceHash + 1 : pathSource.length);
      download.md5Edit = { file: token.file, start: end, end: end + (sourceHash >= 0 ? source.length - sourceHash - 1 : 0), current: sourceHash >= 0 ? source.slice(sourceHash + 1) : '', prefix: sourceHash >= 0 ? '' : '#', suffix: '' };
    }
    this.downloads.push(download);
  }

  /**
   * A hash-file entry is also judged the way `update-hash` computes it: its `filename`,
   * `_update_hash_filename_` or section name, relative to the hash file. When that is not the file the
   * part downloads, the entry is listed on its own so a stale or dangling entry is still seen.
   */
  addHashEntries(): void {
    const seen = new Set<string>();
    for (const d of [...this.downloads]) {
      const at = d.md5?.at;
      if (!at || !isHashFile(at.file)) continue;
      const entry = this.hashEntryAt(at);
      if (!entry) continue;
      const key = `${at.file}\0${entry.section.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const local = entry.local;
      if (d.local && canonical(d.local) === entry.resolved) continue;
      this.downloads.push({
        part: d.part, recipe: d.recipe, option: entry.option?.name ?? '', form: 'hash-entry', target: local, local, unresolved: false,
        at: entry.option ? { file: at.file, start: entry.option.valueStart, end: entry.option.valueEnd } : { file: at.file, start: entry.section.nameStart, end: entry.section.nameEnd },
        md5: d.md5, otherHashes: [], md5Edit: d.md5Edit,
      });
    }
  }

  /** The hash-file section holding `at`, and the file it names. */
  private hashEntryAt(at: Location): { section: SectionSyntax; option?: OptionSyntax; name: string; local: string; resolved: string } | undefined {
    const syntax = this.syntaxOf(at.file);
    if (!syntax) return undefined;
    // Memoised on the parse: every check looks up the same entries.
    return this.ws.memo(syntax, `hash-entry\0${at.start}`, () => {
      const section = syntax.sections.find((s) => s.headerStart <= at.start && at.start <= s.end);
      if (!section) return undefined;
      const option = [...section.options].reverse().find((o) => o.name === 'filename') ?? [...section.options].reverse().find((o) => o.name === '_update_hash_filename_');
      const name = option ? option.value.trim() : section.name;
      if (!name) return undefined;
      const local = path.join(dirnameOf(at.file), name);
      return { section, option, name, local, resolved: path.resolve(local) };
    });
  }

  /** Splits a written URL or path into what buildout fetches and, for local files, the absolute path. */
  private placeOf(written: string): { target: string; local?: string } {
    if (isUrl(written)) {
      if (!/^file:/i.test(written)) return { target: written };
      try { return { target: written, local: fileURLToPath(written.replace(/[?#].*$/, '')) }; } catch { return { target: written }; }
    }
    // zc.buildout reads a local name with urlparse: a `?query` or `#fragment` is not part of the path.
    const bare = written.replace(/[?#].*$/, '');
    return { target: written, local: path.resolve(this.buildoutDirectory, bare) };
  }

  /** The declared hash in `option` of `part`, followed through `${}` to where its literal is written. */
  private declaredHash(part: string, option: string, algorithm: HashAlgorithm): DeclaredHash | undefined {
    const value = this.config.get(part, option);
    if (!value || value.unresolved) return undefined;
    const hex = value.value.trim();
    if (!hex) return undefined;
    return { algorithm, value: hex, at: this.literalOf(part, option, 0)?.at };
  }

  /** Follows `option = ${a:b}` chains to the option whose value is literal text, and locates that text. */
  private literalOf(section: string, option: string, depth: number): { section: string; option: string; at?: Location } | undefined {
    const raw = this.config.raw(section, option);
    if (!raw) return undefined;
    const text = raw.value.trim();
    const m = SINGLE_REFERENCE.exec(text);
    if (m && depth < 16) return this.literalOf(m[1] || section, m[2], depth + 1);
    const at = locateValue(this.ws, raw);
    if (!at) return { section, option };
    const written = this.syntaxOf(at.file)?.text.slice(at.start, at.end);
    return { section, option, at: written === text ? at : undefined };
  }

  private traceReference(section: string, reference: string): { section: string; option: string; at?: Location } | undefined {
    const m = SINGLE_REFERENCE.exec(reference);
    return m ? this.literalOf(m[1] || section, m[2], 0) : undefined;
  }

  /** When a local URL ends with `/${x:filename}`, the place where that file name is written. */
  private lastComponentSpot(section: string, rawValue: string): Location | undefined {
    return this.lastComponentSpotInText(section, rawValue.trim());
  }

  /** `.../${:filename}` or `.../${:filename}.in`: the one reference in the last path component, followed. */
  private lastComponentSpotInText(section: string, text: string): Location | undefined {
    const last = text.slice(text.lastIndexOf('/') + 1);
    const refs = findReferences(last);
    if (refs.length !== 1 || refs[0].invalid) return undefined;
    return this.traceReference(section, last.substr(refs[0].index, refs[0].length))?.at;
  }

  /**
   * True when a value points into the build tree (`${buildout:directory}`, `parts-directory`...),
   * directly or through other options: such a file is produced by another part, not downloaded.
   */
  private isBuildProduct(section: string, text: string, depth = 0): boolean {
    for (const ref of findReferences(text)) {
      if (ref.invalid) continue;
      const target = ref.section || section;
      if (target === 'buildout' && BUILD_DIRECTORIES.has(ref.option)) return true;
      const raw = depth < 16 ? this.config.raw(target, ref.option) : undefined;
      if (raw && this.isBuildProduct(target, raw.value, depth + 1)) return true;
    }
    return false;
  }

  private replaceEdit(at: Location): HashEdit | undefined {
    const text = this.syntaxOf(at.file)?.text;
    if (text === undefined) return undefined;
    return { ...at, current: text.slice(at.start, at.end), prefix: '', suffix: '' };
  }

  /** `md5sum =` written with no value: the md5sum goes right there rather than on a second line. */
  private emptyMd5Edit(part: string): HashEdit | undefined {
    const raw = this.config.raw(part, 'md5sum');
    if (!raw || raw.value.trim() !== '') return undefined;
    const origin = [...raw.origins].reverse().find((o) => o.option && o.operation === 'SET');
    const text = origin && this.syntaxOf(origin.file)?.text;
    if (!origin?.option || text === undefined) return undefined;
    const at = origin.option.valueStart;
    return { file: origin.file, start: at, end: at, current: '', prefix: text.charAt(at - 1) === '=' ? ' ' : '', suffix: '' };
  }

  /** True when `at` lies in a section that `part` uses as a `<=` macro (directly or through others). */
  private isInheritedFromMacro(part: string, at: Location): boolean {
    const home = this.syntaxOf(at.file)?.sections.find((s) => s.headerStart <= at.start && at.start <= s.end);
    if (!home || home.name === part) return false;
    const bases = new Set<string>();
    const visit = (name: string) => {
      for (const base of (this.config.rawSection(name)?.get('<')?.value ?? '').split(/\s+/).filter(Boolean)) {
        if (!bases.has(base)) { bases.add(base); visit(base); }
      }
    };
    visit(part);
    return bases.has(home.name);
  }

  /**
   * Where a new `md5sum = ` line (or `option = ` for a per-architecture one) goes: in the hash-file
   * entry that names the file, else after the `url` line when the part itself writes it, else at the
   * end of the part's own section (never in a macro base, which other sections share).
   */
  private newMd5OptionEdit(part: string, rawUrl: string, option: string): HashEdit | undefined {
    const named = this.lastComponentSpotInText(part, rawUrl.trim());
    if (named && isHashFile(named.file) && option === 'md5sum' && this.hashEntryAt(named)?.section.name === part) return this.insertAfter(named.file, named.end, option);
    const url = this.config.raw(part, 'url') ?? this.config.raw(part, 'template');
    const origin = url && [...url.origins].reverse().find((o) => o.option && o.operation === 'SET');
    if (origin?.option) {
      const syntax = this.syntaxOf(origin.file);
      const home = syntax?.sections.find((s) => s.options.includes(origin.option!));
      if (home?.name === part) return this.insertAfter(origin.file, origin.option.valueEnd, option);
    }
    const end = this.config.lookup(OWN_BLOCK_END, { ws: this.ws, part });
    return end && { file: end.file, start: end.offset, end: end.offset, current: '', prefix: `${end.eol}${option} = `, suffix: '' };
  }

  private insertAfter(file: string, offset: number, option: string): HashEdit | undefined {
    const text = this.syntaxOf(file)?.text;
    if (text === undefined) return undefined;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return { file, start: offset, end: offset, current: '', prefix: `${eol}${option} = `, suffix: '' };
  }

  /**
   * The value of `option` as located tokens, line by line, over every origin that wrote it (`+=` from
   * several files included). A token that is a single `${a:b}` alone on its line (or holding several
   * words) is replaced by
   * the tokens of a:b (substituted in a's context, as buildout does), so `patches = ${base:patches} x#md5`
   * and `post-make-hook = ${other:post-make-hook}` are followed to where each file is written.
   */
  private sourceLines(section: string, option: string, depth: number): SourceToken[][] {
    const raw = this.config.raw(section, option);
    if (!raw) return [];
    const lines: SourceToken[][] = [];
    for (const origin of raw.origins) {
      if (!origin.option || origin.operation === 'REMOVE') continue;
      const syntax = this.syntaxOf(origin.file);
      if (!syntax) continue;
      const base = dirnameOf(origin.file);
      for (const l of origin.option.lines) {
        const lineText = syntax.text.slice(l.start, l.end);
        const tokens: SourceToken[] = [];
        const words = [...lineText.matchAll(/\S+/g)];
        for (const m of words) {
          const text = m[0];
          const resolved = this.substitute(section, text.split(BASE_LOCATION).join(base));
          const ref = SINGLE_REFERENCE.exec(text);
          const expands = words.length === 1 || /\s/.test(resolved.value.trim());
          if (ref && expands && depth < 8 && this.config.raw(ref[1] || section, ref[2])) {
            for (const inner of this.sourceLines(ref[1] || section, ref[2], depth + 1)) lines.push(inner);
            continue;
          }
          tokens.push({ file: origin.file, start: l.start + m.index!, end: l.start + m.index! + text.length, text, resolved, section });
        }
        if (tokens.length) lines.push(tokens);
      }
    }
    return lines;
  }

  /** The parse of a file of the chain, asked of the workspace once per listing. */
  private syntaxOf(file: string): ProfileSyntax | undefined {
    if (!this.syntaxes.has(file)) this.syntaxes.set(file, this.ws.syntaxOf(file));
    return this.syntaxes.get(file);
  }

  /** Substitutes the `${}` of a piece of text as buildout would inside `section`. */
  private substitute(section: string, text: string): ResolvedValue {
    if (!text.includes('${')) return { value: text, unresolved: false };
    let out = '';
    let last = 0;
    let unresolved = false;
    for (const ref of findReferences(text)) {
      out += text.slice(last, ref.index);
      last = ref.index + ref.length;
      if (ref.invalid) { unresolved = true; out += text.substr(ref.index, ref.length); continue; }
      const v = this.config.get(ref.section || section, ref.option);
      if (v) { out += v.value; unresolved ||= v.unresolved; }
      else if (ref.option === '_buildout_section_name_') out += ref.section || section;
      else { unresolved = true; out += text.substr(ref.index, ref.length); }
    }
    return { value: out + text.slice(last), unresolved };
  }
}
