// Applies FileEdits to texts, refusing overlapping edits instead of guessing. Used by the CLI's
// `freeze --write` and by tests; the language server sends edits to the editor instead.

import { FileEdit } from './fix';

export type ApplyResult = { text: string } | { error: string };

export function applyEdits(text: string, edits: readonly FileEdit[]): ApplyResult {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) return { error: `overlapping edits at offsets ${sorted[i - 1].start}-${sorted[i - 1].end} and ${sorted[i].start}-${sorted[i].end}` };
  }
  let out = '';
  let last = 0;
  for (const e of sorted) {
    if (e.start < last || e.end > text.length || e.start > e.end) return { error: `edit out of range (${e.start}-${e.end}) for a text of ${text.length} characters` };
    out += text.slice(last, e.start) + e.newText;
    last = e.end;
  }
  return { text: out + text.slice(last) };
}

/** Groups edits by file, dropping exact duplicates (two fixes may compute the same md5sum edit). */
export function groupEdits(edits: readonly FileEdit[]): Map<string, FileEdit[]> {
  const out = new Map<string, FileEdit[]>();
  const seen = new Set<string>();
  for (const e of edits) {
    const k = `${e.file}\0${e.start}\0${e.end}\0${e.newText}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (!out.has(e.file)) out.set(e.file, []);
    out.get(e.file)!.push(e);
  }
  return out;
}
