// Finds where a piece of a merged value was written, so findings sit on the exact text (an egg name,
// an md5sum) in the file that wrote it, even when `+=` gathered the value from several files.
// Offsets are read here with the Workspace at hand: an option moved by an edit above it is the same
// object with new offsets, so a memoised result that copies them must depend on the file's text
// (Workspace.readPositions), and a location kept across checks must be checked against that text's stamp.

import { Value, Origin } from './config';
import type { Workspace } from '../workspace/workspace';

export interface Location { file: string; start: number; end: number }

/** The whole value (or the name when the value is empty) of the newest origin that has a position. */
export function locateValue(ws: Workspace, value: Value): Location | undefined {
  const o = newestWritten(value);
  if (!o?.option) return undefined;
  ws.readPositions(o.file);
  const opt = o.option;
  return opt.valueEnd > opt.valueStart ? { file: o.file, start: opt.valueStart, end: opt.valueEnd } : { file: o.file, start: opt.nameStart, end: opt.nameEnd };
}

function newestWritten(value: Value): Origin | undefined {
  for (let i = value.origins.length - 1; i >= 0; i--) if (value.origins[i].option) return value.origins[i];
  return undefined;
}

/**
 * Where `needle` is written among the value's origins, newest first, as a token bounded by
 * non-name characters when `token` is set. Falls back to the whole value.
 */
export function locateText(ws: Workspace, value: Value, needle: string, token = true): Location | undefined {
  for (let i = value.origins.length - 1; i >= 0; i--) {
    const o = value.origins[i];
    if (!o.option || o.operation === 'REMOVE') continue;
    const syntax = ws.syntaxOf(o.file);
    if (!syntax) continue;
    for (const l of o.option.lines) {
      const line = syntax.text.slice(l.start, l.end);
      let from = 0;
      for (;;) {
        const at = line.indexOf(needle, from);
        if (at < 0) break;
        const before = line.charAt(at - 1), after = line.charAt(at + needle.length);
        if (!token || (!/[A-Za-z0-9_.-]/.test(before) && !/[A-Za-z0-9_-]/.test(after))) return { file: o.file, start: l.start + at, end: l.start + at + needle.length };
        from = at + 1;
      }
    }
  }
  return locateValue(ws, value);
}

/** A location kept across checks with the stamp of its file's text when it was found (null: none found). */
export interface KeptLocation { at: Location | null; stamp: number }

/** Keeps `at`, found now. */
export function keepLocation(ws: Workspace, at: Location | undefined): KeptLocation {
  return { at: at ?? null, stamp: at ? ws.stampOf(at.file) : 0 };
}

/** True while a kept location is still right: none was found, or its file's text is the same. */
export function stillLocated(ws: Workspace, kept: KeptLocation): boolean {
  if (!kept.at) return true;
  ws.readPositions(kept.at.file);
  return ws.stampOf(kept.at.file) === kept.stamp;
}
