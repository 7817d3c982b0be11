// Decides from a file's text alone whether it is a buildout profile or a template that only becomes one
// (or an nginx, haproxy or jinja file) once rendered. Both front ends ask before reporting syntax errors,
// so a template never gets buildout's complaints. Pure: no IO, no parsing beyond a line scan.

export type ProfileVerdict =
  | { profile: true }
  | { profile: false; reason: string; line: number };

/** Jinja at the very start of a line: buildout itself would reject such a line, a template renders it. */
const JINJA_AT_LINE_START = /^(\{%|\{\{|\{#)/;
const SECTION_HEADER_START = /^\[/;

/**
 * A profile's first line that is neither blank nor a comment opens a section (`[name]`), and no line
 * starts with jinja's `{%`, `{{` or `{#` in column 0. Indented jinja is accepted: it is the value of an
 * option (an inline template), which buildout reads as text.
 */
export function judgeProfileText(text: string): ProfileVerdict {
  let firstSignificantSeen = false;
  let line = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const content = text.slice(start, end).replace(/\r$/, '');
    if (JINJA_AT_LINE_START.test(content)) return { profile: false, reason: 'a line starts with jinja markup', line };
    if (!firstSignificantSeen && content.trim() !== '' && content[0] !== '#' && content[0] !== ';') {
      firstSignificantSeen = true;
      if (!SECTION_HEADER_START.test(content)) return { profile: false, reason: 'the first line that is not blank or a comment is not a [section] header', line };
    }
    line++;
    start = end + 1;
  }
  return { profile: true };
}

export function looksLikeProfile(text: string): boolean {
  return judgeProfileText(text).profile;
}

/**
 * SlapOS names the inputs of its template recipes `*.in`, `*.jinja2` or `*.j2` (instance.cfg.in,
 * haproxy.cfg.in): even when such a file reads like a profile, it only becomes one once rendered, so it
 * is not checked on its own (it still is when a profile extends it).
 */
const TEMPLATE_NAME = /\.(in|jinja2?|j2|tmpl)$/i;

export function hasTemplateName(file: string): boolean {
  return TEMPLATE_NAME.test(file);
}
