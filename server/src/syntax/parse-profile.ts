// Parses the text of a buildout profile into sections and options that keep their exact offsets.
// It follows zc.buildout's configparser line by line (comments only in column 0, continuation lines,
// `+=`/`-=`, `=>`), but it evaluates nothing: conditions, merging and substitution belong to model/.
// It never throws; lines buildout would reject become `SyntaxProblem`s.

import { LineIndex } from './line-index';
import { excerpt } from './excerpt';

export type Operator = '=' | '+=' | '-=';

/** One source line of a value: the offsets of its content (no line break). */
export interface ValueLine { start: number; end: number }

export interface OptionSyntax {
  /** The key as buildout stores it while parsing: `eggs`, `eggs +`, `eggs -`, `<`, `<part-dependencies>`. */
  key: string;
  /** The option's name without the operator. */
  name: string;
  operator: Operator;
  nameStart: number;
  nameEnd: number;
  /** Offsets spanning the value from its first to its last non-blank character (empty range after `=` when empty). */
  valueStart: number;
  valueEnd: number;
  /** The first-line value, stripped, as buildout reads it. */
  firstValue: string;
  /** Continuation lines as written (without line breaks), blank ones included. */
  continuation: string[];
  /** Where each line of the value sits in the text: the first line's value, then each continuation line. */
  lines: ValueLine[];
  /** 0-based line of the option's name. */
  line: number;
  /** The value buildout would read if this were the option's only definition. */
  value: string;
  /** `value` after the end-of-parse normalisation (see normaliseValue). */
  normalised: string;
}

export interface SectionSyntax {
  name: string;
  /** The text after `:` in `[name:expr]`, trimmed, with `\x23`/`\x3b` escapes left as written. */
  condition?: string;
  conditionStart?: number;
  conditionEnd?: number;
  headerStart: number;
  headerEnd: number;
  nameStart: number;
  nameEnd: number;
  /** Offset of the end of the section's last line (before the next header or the end of the text). */
  end: number;
  line: number;
  options: OptionSyntax[];
}

export interface SyntaxProblem { start: number; end: number; message: string }

export interface ProfileSyntax {
  text: string;
  index: LineIndex;
  sections: SectionSyntax[];
  problems: SyntaxProblem[];
  /** True when the text starts with U+FEFF, which buildout itself would refuse. */
  hasBom: boolean;
  /** True when some section header has a condition (`[name:expr]`): only then does the file depend on the target. */
  hasConditions: boolean;
}

// The same shapes as zc.buildout's configparser: a header with an optional condition and a trailing
// comment, and an option start whose name may end with `+` or `-` (see optionKeyEnd). The header has no `\s*` between the
// condition and `]`: the greedy condition already takes that whitespace, and the two ambiguous runs made
// the match quadratic on a long line of spaces (a 1 MB line took minutes). test/unit/syntax checks that
// it accepts exactly what the former pattern accepted.
const SECTION_HEADER = /^(\[)\s*([^\s#[\]:;{}]+)\s*(?::([^#;]*))?(\]\s*(?:[#;].*)?)$/s;
const WHITESPACE = /\s/;

/**
 * Parses a profile. With `previous` (the parse of an earlier text of the same file), every option whose
 * text did not change is the previous OptionSyntax object itself, moved if the edit was above it, and is
 * not parsed again (see OptionReuse): what was computed from it (values, merges) is recognised as
 * unchanged by identity, and an edit of a long file parses little more than the lines it touched.
 */
export function parseProfile(text: string, previous?: ProfileSyntax): ProfileSyntax {
  const index = new LineIndex(text);
  const sections: SectionSyntax[] = [];
  const problems: SyntaxProblem[] = [];
  const hasBom = text.charCodeAt(0) === 0xfeff;
  if (hasBom) problems.push({ start: 0, end: 1, message: 'The file starts with a byte-order mark, which buildout reads as text before the first section: save it as UTF-8 without BOM.' });

  let section: SectionSyntax | undefined;
  let option: OptionSyntax | undefined;
  let hasConditions = false;
  const reuse = previous ? new OptionReuse(previous, text, index) : undefined;
  const lineStarts = index.lineStarts;
  for (let line = 0; line < lineStarts.length; line++) {
    let start = lineStarts[line];
    const end = index.lineEnd(line);
    if (line === 0 && hasBom) start++;
    if (section) section.end = end;
    const first = start < end ? text.charCodeAt(start) : -1;
    if (first === 35 /* # */ || first === 59 /* ; */) continue;
    // A blank line or one starting with whitespace continues the current option's value.
    const indented = first === 32 || first === 9 || (first > 0 && first !== 91 && isWhitespace(first));
    if ((first === -1 || indented) && section && option) {
      option.continuation.push(text.slice(start, end));
      option.lines.push({ start, end });
      continue;
    }
    // Option lines, nearly all of the others, are read in place: only headers and problems are sliced out.
    const content = first === 91 /* [ */ ? text.slice(start, end) : '';
    const header = first === 91 ? SECTION_HEADER.exec(content) : null;
    if (header) {
      // The current section stops at the previous line's end, before this header.
      if (section) section.end = Math.max(section.headerEnd, line > 0 ? index.lineEnd(line - 1) : 0);
      const name = header[2];
      const nameStart = start + content.indexOf(name, 1);
      section = {
        name, headerStart: start, headerEnd: end, nameStart, nameEnd: nameStart + name.length,
        end, line, options: [],
      };
      if (header[3] !== undefined) {
        const raw = header[3];
        const colon = content.indexOf(':', nameStart - start + name.length);
        const lead = raw.length - raw.trimStart().length;
        section.condition = raw.trim();
        section.conditionStart = start + colon + 1 + lead;
        section.conditionEnd = section.conditionStart + section.condition.length;
        if (section.condition) hasConditions = true;
      }
      sections.push(section);
      option = undefined;
      continue;
    }
    if ((first === -1 || indented) && isBlank(text, start, end)) continue;
    if (!section) {
      problems.push({ start, end, message: 'Text before the first section header: buildout needs a `[section]` line first.' });
      continue;
    }
    const kept = reuse?.optionAt(start);
    if (kept) {
      // The previous parse's option, with all its lines: the parse goes on after its last one.
      section.options.push(kept);
      option = kept;
      line = index.lineAt(kept.lines[kept.lines.length - 1].start);
      section.end = index.lineEnd(line);
      continue;
    }
    // The line as buildout reads it: itself, or `=>` spelled out as the option it stands for.
    let src = text, from = start, to = end, shift = 0;
    if (first === 61 /* = */ && text.charCodeAt(start + 1) === 62 /* > */) {
      src = '<part-dependencies> = ' + text.slice(start + 2, end);
      from = 0;
      to = src.length;
      shift = '<part-dependencies> = '.length - 2;
    }
    const eq = optionKeyEnd(src, from, to);
    if (eq < 0) {
      problems.push({ start, end, message: lineProblem(text.slice(start, end)) });
      option = undefined;
      continue;
    }
    const key = src.slice(from, from + eq).trimEnd();
    const last = key.charAt(key.length - 1);
    const operator: Operator = last === '+' ? '+=' : last === '-' ? '-=' : '=';
    const name = operator === '=' ? key : key.slice(0, -1).trimEnd();
    let lead = from + eq + 1;
    while (lead < to && isWhitespaceAt(src, lead)) lead++;
    const firstValue = lead < to ? src.slice(lead, to).trimEnd() : '';
    const valueOffset = start + Math.max(0, eq + 1 - shift) + (lead - (from + eq + 1));
    const nameStart = start;
    const nameEnd = shift ? start + 2 : start + name.length;
    option = {
      key, name, operator, nameStart, nameEnd,
      valueStart: valueOffset, valueEnd: valueOffset + firstValue.length,
      firstValue, continuation: [], lines: [{ start: valueOffset, end: valueOffset + firstValue.length }],
      line, value: '', normalised: '',
    };
    section.options.push(option);
    reuse?.parsed(section, section.options.length - 1);
  }
  // Lists grown by push keep room for 16 more: the parse is kept, so it keeps copies of their exact size.
  for (let i = 0; i < sections.length; i++) if (sections[i].options.length > 1) sections[i].options = sections[i].options.slice();
  if (reuse) reuse.finish(text);
  // Index loops: a first check parses every file of the chain before this code is optimised, when for-of allocates.
  else for (let i = 0; i < sections.length; i++) for (let j = 0; j < sections[i].options.length; j++) finishOption(sections[i].options[j], text);
  return { text, index, sections, problems, hasBom, hasConditions };
}

/**
 * Where the `=` of the option line text[start, end) is, relative to `start`, as `/^([^\s{}[\]=:]+\s*[-+]?)=(.*)$/s` would match
 * it (a name of characters other than whitespace and `{}[]=:`, optional whitespace, an optional `+` or
 * `-`, then `=`); -1 when the line is not an option. Scanning by hand saves a regular expression match
 * per line of every profile.
 */
export function optionKeyEnd(text: string, start: number, end: number): number {
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 61 || c === 58 || c === 123 || c === 125 || c === 91 || c === 93 || c === 32 || c === 9) break;
    if (c > 127 || c < 32) { if (isWhitespace(c)) break; }
  }
  if (i === start) return -1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || ((c > 127 || c < 32) && isWhitespace(c))) i++;
    else break;
  }
  const c = i < end ? text.charCodeAt(i) : -1;
  if (c === 43 || c === 45) i++;
  return i < end && text.charCodeAt(i) === 61 ? i - start : -1;
}

/** True when text[start, end) is only whitespace (as `String.prototype.trim` counts it). */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && !isWhitespace(c)) return false;
  }
  return true;
}

function isWhitespace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 128) return false;
  return WHITESPACE.test(String.fromCharCode(code));
}

function isWhitespaceAt(text: string, i: number): boolean { return isWhitespace(text.charCodeAt(i)); }

/**
 * Which options of the previous parse a new parse takes over, unparsed. The new text and the previous one
 * share a prefix and a suffix; an option is taken over when its lines, and the line that ends it, lie in
 * the shared prefix (it did not move), or when it starts in the shared suffix (everything after it is the
 * same text, moved by the length the edit added: its offsets and line are updated in place). Any other
 * option is parsed, and still replaced by the previous object when that one has the same text at the same
 * offsets. What copies offsets out of an option must therefore depend on the file's text (see
 * Workspace.readPositions).
 */
class OptionReuse {
  private readonly old: OptionSyntax[] = [];
  /** Where each old option started (taken ones are moved in place, and the search needs the old order). */
  private readonly starts: Float64Array;
  /** An old option is taken once at most: the same text may sit both where it was and where it moved. */
  private readonly taken: Uint8Array;
  /** Length of the text both share at the start, and where the text both share at the end begins in the new text. */
  private readonly prefix: number;
  private readonly movedFrom: number;
  private readonly shift: number;
  private readonly lineShift: number;
  /** Options parsed afresh, as (section, index), to finish and compare once the parse is done. */
  private readonly fresh: [SectionSyntax, number][] = [];

  constructor(private readonly previous: ProfileSyntax, text: string, index: LineIndex) {
    const oldText = previous.text;
    const n = Math.min(oldText.length, text.length);
    let prefix = 0;
    while (prefix < n && oldText.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < n && oldText.charCodeAt(oldText.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
    this.prefix = prefix;
    this.movedFrom = text.length - suffix;
    this.shift = text.length - oldText.length;
    this.lineShift = index.lineStarts.length - previous.index.lineStarts.length;
    for (const s of previous.sections) for (const o of s.options) this.old.push(o);
    this.starts = new Float64Array(this.old.length);
    for (let i = 0; i < this.old.length; i++) this.starts[i] = this.old[i].nameStart;
    this.taken = new Uint8Array(this.old.length);
  }

  /** The previous option to take over for an option line starting at `start` of the new text, if any. */
  optionAt(start: number): OptionSyntax | undefined {
    if (start < this.prefix) {
      // The next option starts in the prefix too: so does the line that ends this one.
      const i = indexOf(this.starts, start);
      if (i < 0 || this.taken[i] || i + 1 >= this.old.length || this.starts[i + 1] >= this.prefix) return undefined;
      this.taken[i] = 1;
      return this.old[i];
    }
    if (start < this.movedFrom) return undefined;
    const k = indexOf(this.starts, start - this.shift);
    if (k < 0 || this.taken[k]) return undefined;
    this.taken[k] = 1;
    const o = this.old[k];
    if (this.shift !== 0) {
      o.nameStart += this.shift; o.nameEnd += this.shift;
      o.valueStart += this.shift; o.valueEnd += this.shift;
      for (let l = 0; l < o.lines.length; l++) { o.lines[l].start += this.shift; o.lines[l].end += this.shift; }
    }
    o.line += this.lineShift;
    return o;
  }

  /** The option at `index` of `section` was parsed afresh. */
  parsed(section: SectionSyntax, index: number): void { this.fresh.push([section, index]); }

  /** Finishes the options parsed afresh, replacing each that is unchanged at the same place by its previous object. */
  finish(text: string): void {
    for (const [section, index] of this.fresh) {
      const b = section.options[index];
      finishOption(b, text);
      const i = indexOf(this.starts, b.nameStart);
      if (i >= 0 && !this.taken[i] && sameOption(this.old[i], b, this.previous.text, text)) {
        section.options[index] = this.old[i];
        this.taken[i] = 1;
      }
    }
  }
}

/** The index of `start` in `starts` (increasing), or -1. */
function indexOf(starts: Float64Array, start: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = starts[mid];
    if (at === start) return mid;
    if (at < start) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

function sameOption(a: OptionSyntax, b: OptionSyntax, oldText: string, newText: string): boolean {
  if (a.key !== b.key || a.nameStart !== b.nameStart || a.nameEnd !== b.nameEnd || a.valueStart !== b.valueStart || a.valueEnd !== b.valueEnd) return false;
  if (a.line !== b.line || a.lines.length !== b.lines.length || a.value !== b.value) return false;
  const end = b.lines[b.lines.length - 1].end;
  if (a.lines[a.lines.length - 1].end !== end) return false;
  for (let k = 0; k < a.lines.length; k++) if (a.lines[k].start !== b.lines[k].start || a.lines[k].end !== b.lines[k].end) return false;
  return oldText.slice(b.nameStart, end) === newText.slice(b.nameStart, end);
}

function lineProblem(content: string): string {
  if (/^\s*\[/.test(content)) return `Malformed section header: ${JSON.stringify(excerpt(content.trim()))}. A header is \`[name]\` or \`[name:condition]\`.`;
  if (content.includes(':') && !content.includes('=')) return `\`${excerpt(content.trim())}\` is not an option: buildout options are written \`name = value\` (a colon is not accepted).`;
  return `Buildout cannot parse this line: ${JSON.stringify(excerpt(content.trim()))} is neither a section header, an option (\`name = value\`) nor an indented continuation.`;
}

/** Computes `value` the way configparser does for a single definition, and tightens `valueEnd`. */
function finishOption(o: OptionSyntax, text: string): void {
  if (o.continuation.length) { o.continuation = o.continuation.slice(); o.lines = o.lines.slice(); }
  o.value = cookValue(o.firstValue, o.continuation);
  o.normalised = normaliseValue(o.value);
  for (let i = o.lines.length - 1; i >= 0; i--) {
    const l = o.lines[i];
    let e = l.end;
    while (e > l.start && isWhitespaceAt(text, e - 1)) e--;
    if (e > l.start) { o.valueEnd = e; break; }
  }
}

/** Joins a first-line value and its continuation lines exactly as zc.buildout's configparser does. */
export function cookValue(firstValue: string, continuation: readonly string[], previous?: string): string {
  let value: string;
  if (previous !== undefined) {
    value = previous.trimEnd();
    if (firstValue) value = `${value}\n${firstValue}`;
  } else value = firstValue;
  const blockmode = !firstValue;
  for (let i = 0; i < continuation.length; i++) {
    const raw = continuation[i];
    if (blockmode) value += '\n' + raw.trimEnd();
    else {
      const s = raw.trim();
      if (s) value += '\n' + s;
    }
  }
  return value;
}

/** The end-of-parse normalisation: a value starting with whitespace is dedented and loses leading blank lines. */
export function normaliseValue(value: string): string {
  if (!value) return value;
  const c = value.charCodeAt(0);
  if (c !== 10 && c !== 32 && c !== 9 && !WHITESPACE.test(value.charAt(0))) return value;
  return dedent(value.trimEnd()).replace(/^(\s*\n)+/, '');
}

/** Python's textwrap.dedent: removes the margin common to all non-blank lines (spaces and tabs only). */
export function dedent(text: string): string {
  // One pass to find the margin (lines of only spaces and tabs count as blank), one to cut it.
  let margin: string | undefined;
  let blanks = false;
  for (let at = 0; at <= text.length;) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    let i = at;
    while (i < eol && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i === eol) { if (eol > at) blanks = true; }
    else if (margin === undefined) margin = text.slice(at, i);
    else if (margin.length > 0) {
      let k = 0;
      const n = Math.min(margin.length, i - at);
      while (k < n && margin.charCodeAt(k) === text.charCodeAt(at + k)) k++;
      if (k < margin.length) margin = margin.slice(0, k);
    }
    at = eol + 1;
  }
  if (!margin && !blanks) return text;
  const cut = margin ? margin.length : 0;
  let out = '';
  for (let at = 0; at <= text.length;) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    let i = at;
    while (i < eol && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (at > 0) out += '\n';
    if (i < eol) out += text.slice(at + cut, eol);
    at = eol + 1;
  }
  return out;
}
