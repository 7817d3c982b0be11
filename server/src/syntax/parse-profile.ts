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
}

// The same shapes as zc.buildout's configparser: a header with an optional condition and a trailing
// comment, and an option start whose name may end with `+` or `-`. The header has no `\s*` between the
// condition and `]`: the greedy condition already takes that whitespace, and the two ambiguous runs made
// the match quadratic on a long line of spaces (a 1 MB line took minutes). test/unit/syntax checks that
// it accepts exactly what the former pattern accepted.
const SECTION_HEADER = /^(\[)\s*([^\s#[\]:;{}]+)\s*(?::([^#;]*))?(\]\s*(?:[#;].*)?)$/s;
const OPTION_START = /^([^\s{}[\]=:]+\s*[-+]?)=(.*)$/s;
const WHITESPACE = /\s/;

export function parseProfile(text: string): ProfileSyntax {
  const index = new LineIndex(text);
  const sections: SectionSyntax[] = [];
  const problems: SyntaxProblem[] = [];
  const hasBom = text.charCodeAt(0) === 0xfeff;
  if (hasBom) problems.push({ start: 0, end: 1, message: 'The file starts with a byte-order mark, which buildout reads as text before the first section: save it as UTF-8 without BOM.' });

  let section: SectionSyntax | undefined;
  let option: OptionSyntax | undefined;
  for (let line = 0; line < index.lineCount; line++) {
    let start = index.lineStarts[line];
    const end = index.lineEnd(line);
    if (line === 0 && hasBom) start++;
    const content = text.slice(start, end);
    // The previous line's end: where the current section stops if this line is the next header.
    const previousEnd = line > 0 ? index.lineEnd(line - 1) : 0;
    if (section) section.end = end;
    const first = content.charAt(0);
    if (first === '#' || first === ';') continue;
    if ((content === '' || WHITESPACE.test(first)) && section && option) {
      option.continuation.push(content);
      option.lines.push({ start, end });
      continue;
    }
    const header = SECTION_HEADER.exec(content);
    if (header) {
      if (section) section.end = Math.max(section.headerEnd, previousEnd);
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
      }
      sections.push(section);
      option = undefined;
      continue;
    }
    if (content.trim() === '') continue;
    if (!section) {
      problems.push({ start, end, message: 'Text before the first section header: buildout needs a `[section]` line first.' });
      continue;
    }
    let body = content;
    let shift = 0;
    if (body.startsWith('=>')) { body = '<part-dependencies> = ' + body.slice(2); shift = '<part-dependencies> = '.length - 2; }
    const match = OPTION_START.exec(body);
    if (!match) {
      problems.push({ start, end, message: lineProblem(content) });
      option = undefined;
      continue;
    }
    const key = match[1].trimEnd();
    const last = key.charAt(key.length - 1);
    const operator: Operator = last === '+' ? '+=' : last === '-' ? '-=' : '=';
    const name = operator === '=' ? key : key.slice(0, -1).trimEnd();
    const rawValue = match[2];
    const firstValue = rawValue.trim();
    const valueOffset = start + Math.max(0, match[1].length + 1 - shift) + (rawValue.length - rawValue.trimStart().length);
    const nameStart = shift ? start : start;
    const nameEnd = shift ? start + 2 : start + name.length;
    option = {
      key, name, operator, nameStart, nameEnd,
      valueStart: valueOffset, valueEnd: valueOffset + firstValue.length,
      firstValue, continuation: [], lines: [{ start: valueOffset, end: valueOffset + firstValue.length }],
      line, value: '',
    };
    section.options.push(option);
  }
  for (const s of sections) for (const o of s.options) finishOption(o, text);
  return { text, index, sections, problems, hasBom };
}

function lineProblem(content: string): string {
  if (/^\s*\[/.test(content)) return `Malformed section header: ${JSON.stringify(excerpt(content.trim()))}. A header is \`[name]\` or \`[name:condition]\`.`;
  if (content.includes(':') && !content.includes('=')) return `\`${excerpt(content.trim())}\` is not an option: buildout options are written \`name = value\` (a colon is not accepted).`;
  return `Buildout cannot parse this line: ${JSON.stringify(excerpt(content.trim()))} is neither a section header, an option (\`name = value\`) nor an indented continuation.`;
}

/** Computes `value` the way configparser does for a single definition, and tightens `valueEnd`. */
function finishOption(o: OptionSyntax, text: string): void {
  o.value = cookValue(o.firstValue, o.continuation);
  for (let i = o.lines.length - 1; i >= 0; i--) {
    const l = o.lines[i];
    const s = text.slice(l.start, l.end);
    if (s.trim() !== '') { o.valueEnd = l.start + s.trimEnd().length; break; }
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
  for (const raw of continuation) {
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
  if (!value || !WHITESPACE.test(value.charAt(0))) return value;
  return dedent(value.trimEnd()).replace(/^(\s*\n)+/, '');
}

/** Python's textwrap.dedent: removes the margin common to all non-blank lines (spaces and tabs only). */
export function dedent(text: string): string {
  const lines = text.replace(/^[ \t]+$/gm, '').split('\n');
  let margin: string | undefined;
  for (const l of lines) {
    if (l === '') continue;
    const m = /^[ \t]*/.exec(l)![0];
    if (margin === undefined || !m.startsWith(margin)) {
      if (margin === undefined || margin.startsWith(m)) margin = m;
      else {
        let i = 0;
        while (i < m.length && i < margin.length && m[i] === margin[i]) i++;
        margin = margin.slice(0, i);
      }
    }
  }
  if (!margin) return lines.join('\n');
  const cut = margin.length;
  return lines.map((l) => (l === '' ? l : l.slice(cut))).join('\n');
}
