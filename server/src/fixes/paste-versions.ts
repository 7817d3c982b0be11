// "Paste versions": reads what buildout prints about picked versions and plans the pins into the file that
// defines the effective versions section. It understands show-picked-versions and update-versions-file
// output (zc.buildout's `_format_picked_versions`), the older buildout-versions and
// buildout.dumppickedversions extensions, `Picked: name = version` lines (`-v` logs and the
// allow-picked-versions = false error), and bare `name = version` lines. It is pure: it computes edits,
// never writes, never overwrites an existing pin (that is a conflict to show), and needs no network.

import * as path from 'path';
import { FileEdit, FixContext } from '../core/fix';
import { effectiveOptions, loadForTarget } from '../check';
import type { PastePlanner } from '../freeze/plan-freeze';
import { locateValue, Location } from '../model/locate';
import { normaliseEggName, readVersionValue, readVersions, requestedEggs, versionsFileOf } from '../model/eggs';
import { OptionSyntax, SectionSyntax } from '../syntax/parse-profile';

export interface Pin { name: string; version: string }

export interface PickedPin extends Pin {
  /** The `# Required by:` entries buildout printed for it (`dist==version`), if any. */
  requiredBy: string[];
}

export interface PickedVersions {
  pins: PickedPin[];
  /** Non-empty lines that were neither pins, comments nor known headers, inside a versions block. */
  ignored: string[];
}

const PIN_LINE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*=\s*(\S+)\s*$/;
const PICKED_LOG = /\bPicked:\s+([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*=\s*(\S+)\s*$/;
const VERSIONS_HEADER = /\[versions\]\s*$/;
const REQUIRED_BY = /^#\s*Required by:\s*$/i;

/**
 * Reads picked-versions output. A `[versions]` line opens a block (text before it on that line, such as a
 * log prefix, is cut from the block's lines too); the block holds `name = version` lines, blank lines and
 * comments, and ends at the first other line. Without any `[versions]` line or `Picked:` line, the whole
 * text is read as a block. When a name appears twice, the last version wins.
 */
export function parsePickedVersions(text: string): PickedVersions {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const pins = new Map<string, PickedPin>();
  const ignored: string[] = [];
  const add = (name: string, version: string, requiredBy: string[]) => {
    const key = normaliseEggName(name);
    const previous = pins.get(key);
    pins.delete(key);
    pins.set(key, { name, version, requiredBy: previous && previous.version === version ? [...new Set([...previous.requiredBy, ...requiredBy])] : requiredBy });
  };
  const hasHeader = lines.some((l) => VERSIONS_HEADER.test(l.trim()) || PICKED_LOG.test(l));
  let inBlock = !hasHeader;
  let prefix = 0;
  let requiredBy: string[] | undefined;
  for (const original of lines) {
    const picked = PICKED_LOG.exec(original);
    if (picked) { add(picked[1], picked[2], []); continue; }
    const trimmedEnd = original.trimEnd();
    if (VERSIONS_HEADER.test(trimmedEnd)) {
      inBlock = true;
      prefix = trimmedEnd.length - '[versions]'.length;
      requiredBy = undefined;
      continue;
    }
    if (!inBlock) continue;
    let line = original;
    if (prefix && line.length >= prefix && !line.slice(0, prefix).includes('=')) line = line.slice(prefix);
    line = line.trim();
    if (!line) { requiredBy = undefined; continue; }
    if (line.startsWith('#')) {
      if (REQUIRED_BY.test(line)) requiredBy = [];
      else if (requiredBy) requiredBy.push(line.replace(/^#\s*/, ''));
      continue;
    }
    const pin = PIN_LINE.exec(line);
    if (pin) { add(pin[1], pin[2], requiredBy ?? []); requiredBy = undefined; continue; }
    if (hasHeader) { inBlock = false; requiredBy = undefined; continue; }
    ignored.push(line);
  }
  return { pins: [...pins.values()], ignored };
}

export interface PinConflict extends Pin {
  /** The value the effective versions section already gives the egg. */
  existing: string;
  /** Where that value is written. */
  location?: Location;
}

export interface PinPlan {
  /** The file that receives the pins ('' when there is none). */
  file: string;
  /** The effective versions section's name. */
  section: string;
  edits: FileEdit[];
  added: Pin[];
  /** Already pinned to another version (or a range): left as they are. */
  conflicts: PinConflict[];
  /** Already pinned to the same version: nothing to do. */
  duplicates: Pin[];
  /** Set when nothing can be pinned at all (no versions section applies). */
  problem?: string;
}

export type PinContext = Pick<FixContext, 'ws' | 'config'>;

/**
 * Plans pins into the effective versions section, in the file model/eggs.ts's versionsFileOf chooses (the
 * root profile when it writes the section, else a file of the root's folder that does, else the file
 * holding most pins; a new section in the root when none writes it). Existing lines, their order,
 * comments and style are kept. New pins go, in sorted order, at the end of the section's last block in
 * that file, or each at its place when that block's last group of pins is sorted. An entry with an empty
 * value in that block gets the version; a range, or an empty value merged after the file, is a conflict.
 */
export function pinEdits(ctx: PinContext, pins: readonly Pin[]): PinPlan {
  const { ws, config } = ctx;
  const versions = readVersions(config);
  const section = versions.section;
  if (!section) return { file: '', section, edits: [], added: [], conflicts: [], duplicates: [], problem: '[buildout] versions is empty, so no section pins eggs: name a versions section first.' };
  const file = versionsFileOf(ws, config, section);
  const plan: PinPlan = { file, section, edits: [], added: [], conflicts: [], duplicates: [] };
  const syntax = ws.syntaxOf(file);
  if (!syntax) return { ...plan, problem: `${file} cannot be read.` };
  const text = syntax.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const block = [...syntax.sections].reverse().find((s) => s.name === section && !s.condition);
  const style = block ? styleOf(text, block) : { line: (n: string, v: string) => `${n} = ${v}`, after: ' ' };

  const unique = new Map<string, Pin>();
  for (const p of pins) { const key = normaliseEggName(p.name); unique.delete(key); unique.set(key, p); }
  const toAdd: Pin[] = [];
  for (const [key, pin] of unique) {
    const entry = versions.entries.get(key);
    if (entry && entry.pin.pinned) {
      if (entry.pin.version === readVersionValue(pin.version).version) plan.duplicates.push(pin);
      else plan.conflicts.push({ ...pin, existing: entry.value.trim(), location: locateValue(ws, entry.raw) });
      continue;
    }
    // A range (`>=1`) was written on purpose, and so was an empty value in a file merged after this one
    // (a `-dev` profile unpinning a develop egg): a pin here would not even win. Both are conflicts.
    const writtenIn = entry ? [...entry.raw.origins].reverse().find((o) => o.option)?.file : undefined;
    const mergedLater = writtenIn !== undefined && config.files.indexOf(writtenIn) > config.files.indexOf(file);
    if (entry && (entry.value.trim() || mergedLater)) { plan.conflicts.push({ ...pin, existing: entry.value.trim(), location: locateValue(ws, entry.raw) }); continue; }
    const emptied = entry && block ? block.options.find((o) => o.operator === '=' && normaliseEggName(o.name) === key && o.value.trim() === '') : undefined;
    if (emptied) {
      const before = text.charAt(emptied.valueStart - 1);
      plan.edits.push({ file, start: emptied.valueStart, end: emptied.valueEnd, newText: (before === '=' ? style.after : '') + pin.version });
      plan.added.push(pin);
      continue;
    }
    toAdd.push(pin);
  }
  toAdd.sort((a, b) => compareKeys(a.name, b.name));
  plan.added.push(...toAdd);
  if (!toAdd.length) return plan;

  if (!block) {
    // A new section at the end of the file, after a blank line.
    const lead = text === '' ? '' : (text.endsWith('\n') ? '' : eol) + eol;
    const body = [`[${section}]`, ...toAdd.map((p) => style.line(p.name, p.version))].join(eol);
    plan.edits.push({ file, start: text.length, end: text.length, newText: `${lead}${body}${eol}` });
    return plan;
  }
  const options = block.options.filter((o) => o.operator === '=');
  const inserts = new Map<number, { before: boolean; lines: string[] }>();
  const insertAt = (offset: number, before: boolean, line: string) => {
    const slot = inserts.get(offset) ?? { before, lines: [] };
    slot.lines.push(line);
    inserts.set(offset, slot);
  };
  const group = lastGroup(text, options);
  const sorted = isMostlySorted(group);
  for (const pin of toAdd) {
    const line = style.line(pin.name, pin.version);
    const next = sorted ? group.find((o) => compareKeys(o.name, pin.name) > 0) : undefined;
    if (next) insertAt(startOfAttachedComments(syntax.index.lineStarts, text, next), true, line);
    else {
      const last = sorted ? group[group.length - 1] : options[options.length - 1];
      insertAt(last ? endOfLastLine(text, last) : block.headerEnd, false, line);
    }
  }
  for (const [offset, slot] of inserts) {
    const newText = slot.before ? slot.lines.map((l) => l + eol).join('') : slot.lines.map((l) => eol + l).join('');
    plan.edits.push({ file, start: offset, end: offset, newText });
  }
  plan.edits.sort((a, b) => a.start - b.start);
  return plan;
}

/** Parses buildout's picked-versions output and plans its pins (see pinEdits). */
export function planPasteVersions(ctx: PinContext, pickedText: string): PinPlan & { picked: PickedVersions } {
  const picked = parsePickedVersions(pickedText);
  return { ...pinEdits(ctx, picked.pins), picked };
}

/**
 * The paste step of "Freeze this profile" (freeze/plan-freeze.ts's PastePlanner): plans the pasted pins for
 * the root's target and says which requested eggs they pin, under every spelling the profiles use, so the
 * planner does not also list those unpinned-egg findings as blocking.
 */
export const pasteVersionsForFreeze: PastePlanner = async (ws, root, options, text) => {
  const { config } = await loadForTarget(ws, root, effectiveOptions(ws, root, options));
  const plan = planPasteVersions({ ws, config }, text);
  const lineOf = (loc: Location | undefined) => {
    const line = loc && ws.syntaxOf(loc.file)?.index.positionAt(loc.start).line;
    return loc ? `${path.basename(loc.file)}${line !== undefined ? `:${line + 1}` : ''}` : `[${plan.section}]`;
  };
  const changed = plan.added.map((p) => `${path.basename(plan.file)}: pinned ${p.name} = ${p.version} in [${plan.section}]`);
  const blocking = plan.conflicts.map((c) => `${lineOf(c.location)}: ${c.name} is already ${c.existing ? `pinned to ${c.existing}` : 'unpinned on purpose (empty value)'}; the pasted ${c.version} was not applied`);
  if (plan.problem) blocking.push(plan.problem);
  const keys = new Set([...plan.added, ...plan.duplicates].map((p) => normaliseEggName(p.name)));
  const pinned = new Set<string>();
  for (const key of keys) pinned.add(key);
  for (const p of [...plan.added, ...plan.duplicates]) pinned.add(p.name.toLowerCase());
  for (const request of requestedEggs(config, ws).requests) {
    if (keys.has(request.requirement.key)) pinned.add(request.requirement.name.toLowerCase());
  }
  return { edits: plan.edits, changed, blocking, pinned };
};

/** Sorts egg names the way SlapOS keeps [versions]: case-insensitively, separators folded. */
function compareKeys(a: string, b: string): number {
  const ka = normaliseEggName(a), kb = normaliseEggName(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The options after the section's last blank line: the group a new pin joins. */
function lastGroup(text: string, options: OptionSyntax[]): OptionSyntax[] {
  let start = 0;
  for (let i = 1; i < options.length; i++) {
    const gap = text.slice(endOfLastLine(text, options[i - 1]), options[i].nameStart);
    if (/\n[ \t]*\r?\n/.test(gap)) start = i;
  }
  return options.slice(start);
}

/** The end (before the line break) of an option's last non-blank line. */
function endOfLastLine(text: string, option: OptionSyntax): number {
  const from = Math.max(option.nameEnd, option.valueEnd);
  const newline = text.indexOf('\n', from);
  const end = newline < 0 ? text.length : newline;
  return text.charAt(end - 1) === '\r' ? end - 1 : end;
}

/** Sorted enough to insert in order: three or more pins and at most one pair in ten out of order. */
function isMostlySorted(group: OptionSyntax[]): boolean {
  if (group.length < 3) return false;
  let inversions = 0;
  for (let i = 1; i < group.length; i++) if (compareKeys(group[i - 1].name, group[i].name) > 0) inversions++;
  return inversions <= Math.floor((group.length - 1) / 10);
}

/** The start of the column-0 comment lines directly above an option (they describe it), else its own line start. */
function startOfAttachedComments(lineStarts: readonly number[], text: string, option: OptionSyntax): number {
  let line = option.line;
  while (line > 0) {
    const start = lineStarts[line - 1];
    const first = text.charAt(start);
    if (first !== '#' && first !== ';') break;
    line--;
  }
  return lineStarts[line];
}

/** How the section writes its pins: `a = 1`, `a=1`, or names padded so every `=` lines up. */
function styleOf(text: string, block: SectionSyntax): { line: (name: string, version: string) => string; after: string } {
  const shapes = new Map<string, number>();
  const columns = new Set<number>();
  const lengths = new Set<number>();
  const lineStartOf = (o: OptionSyntax) => text.lastIndexOf('\n', o.nameStart - 1) + 1;
  for (const o of block.options) {
    if (o.operator !== '=' || o.valueEnd <= o.valueStart) continue;
    const eq = text.indexOf('=', o.nameEnd);
    if (eq < 0 || eq > o.valueStart) continue;
    const shape = `${text.slice(o.nameEnd, eq)}=${text.slice(eq + 1, o.valueStart)}`;
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    columns.add(eq - lineStartOf(o));
    lengths.add(o.name.length);
  }
  const shape = [...shapes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ' = ';
  const after = shape.slice(shape.indexOf('=') + 1);
  const aligned = shapes.size > 1 && columns.size === 1 && lengths.size > 1;
  if (aligned) {
    const column = [...columns][0];
    return { line: (n, v) => `${n}${' '.repeat(Math.max(1, column - n.length))}=${after}${v}`, after };
  }
  return { line: (n, v) => `${n}${shape}${v}`, after };
}
