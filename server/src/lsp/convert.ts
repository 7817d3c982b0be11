// The one place where the core's terms meet the protocol's: paths and URIs, Findings and Diagnostics,
// FileEdits (offsets) and WorkspaceEdits (positions). Offsets become positions against the text the
// edit was computed for (an open buffer or the file on disk), never against a guess.

import {
  Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver/node';
import { Finding, Severity } from '../core/finding';
import { FileEdit } from '../core/fix';
import { groupEdits } from '../core/apply-edits';
import { LineIndex } from '../syntax/line-index';
import { DIAGNOSTIC_SOURCE } from '../protocol';

const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** `file:` URI of a local path, encoded the way VS Code's URI.file does (everything but [A-Za-z0-9-._~/]). */
export function pathToUri(file: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(file)) return file;
  // Nearly every path needs no encoding: one test instead of one per character.
  if (PLAIN_PATH.test(file)) return file.startsWith('/') ? `file://${file}` : `file:///${file}`;
  let out = 'file://';
  for (const ch of file.startsWith('/') ? file : `/${file}`) {
    out += /[A-Za-z0-9\-._~/]/.test(ch) ? ch : encodeURIComponent(ch);
  }
  return out;
}

/** The local path of a `file:` URI; undefined for other schemes (untitled buffers, remote files). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    const url = new URL(uri);
    if (url.host && url.host !== 'localhost') return undefined;
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const SEVERITY_NAMES: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

/** What a Diagnostic carries so that its quick fix can be recomputed by a stateless server. */
export interface DiagnosticData {
  /** The Finding's own data (the rule's key for its fix). */
  finding?: Record<string, unknown>;
  /** The root profile the finding was judged in (a path). */
  root: string;
}

export function toDiagnostic(finding: Finding, uriOf: (file: string) => string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITIES[finding.severity],
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data: { root: finding.profile, ...(finding.data ? { finding: finding.data } : {}) } satisfies DiagnosticData,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri: uriOf(r.file), range: r.range },
      message: r.message,
    }));
  }
  return diagnostic;
}

/** Rebuilds the Finding a Diagnostic of ours was made from (for quick fixes); undefined for others' diagnostics. */
export function toFinding(diagnostic: Diagnostic, file: string): Finding | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string') return undefined;
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  return {
    file,
    range: diagnostic.range,
    severity: SEVERITY_NAMES[diagnostic.severity ?? 1] ?? 'error',
    code: diagnostic.code,
    message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
    profile: typeof data?.root === 'string' ? data.root : file,
    ...(data?.finding && typeof data.finding === 'object' ? { data: data.finding } : {}),
  };
}

/** A Finding sent as a command argument (online fixes): plain JSON, paths as URIs. */
export interface FindingArgument {
  uri: string;
  range: Finding['range'];
  code: string;
  message: string;
  severity: Severity;
  rootUri: string;
  data?: Record<string, unknown>;
}

export function toFindingArgument(finding: Finding): FindingArgument {
  return {
    uri: pathToUri(finding.file), range: finding.range, code: finding.code, message: finding.message,
    severity: finding.severity, rootUri: pathToUri(finding.profile), ...(finding.data ? { data: finding.data } : {}),
  };
}

export function isFindingArgument(x: unknown): x is FindingArgument {
  const a = x as FindingArgument;
  return !!a && typeof a === 'object' && typeof a.uri === 'string' && typeof a.code === 'string' && !!a.range && typeof a.rootUri === 'string';
}

export function fromFindingArgument(a: FindingArgument): Finding | undefined {
  const file = uriToPath(a.uri);
  const profile = uriToPath(a.rootUri);
  if (!file || !profile) return undefined;
  return { file, range: a.range, code: a.code, message: a.message, severity: a.severity ?? 'error', profile, ...(a.data ? { data: a.data } : {}) };
}

/** The text and version an edit is computed against: the open buffer's (versioned) or the disk's (null). */
export interface TextSnapshot { text: string; version: number | null }

/**
 * Core edits (offsets into the snapshot texts) → one WorkspaceEdit. With `documentChanges`, each file's
 * edit names the version it was computed against, so the editor refuses it if the buffer moved on.
 */
export function toWorkspaceEdit(
  edits: readonly FileEdit[],
  snapshotOf: (file: string) => TextSnapshot | undefined,
  uriOf: (file: string) => string,
  useDocumentChanges: boolean,
): WorkspaceEdit | { error: string } {
  const documentChanges: TextDocumentEdit[] = [];
  const changes: Record<string, TextEdit[]> = {};
  for (const [file, fileEdits] of groupEdits(edits)) {
    const snapshot = snapshotOf(file);
    if (!snapshot) return { error: `cannot edit ${file}: it cannot be read` };
    const textEdits = toTextEdits(snapshot.text, fileEdits);
    if ('error' in textEdits) return { error: `cannot edit ${file}: ${textEdits.error}` };
    const uri = uriOf(file);
    if (useDocumentChanges) documentChanges.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, snapshot.version), textEdits));
    else changes[uri] = textEdits;
  }
  return useDocumentChanges ? { documentChanges } : { changes };
}

/** Offsets → positions in `text`; refuses edits that overlap or fall outside it. */
export function toTextEdits(text: string, edits: readonly FileEdit[]): TextEdit[] | { error: string } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    if (e.start < 0 || e.end > text.length || e.start > e.end) return { error: `edit out of range (${e.start}-${e.end}) for a text of ${text.length} characters` };
    if (i > 0 && e.start < sorted[i - 1].end) return { error: `overlapping edits at offsets ${sorted[i - 1].start}-${sorted[i - 1].end} and ${e.start}-${e.end}` };
  }
  const index = new LineIndex(text);
  return sorted.map((e) => TextEdit.replace(index.rangeOf(e.start, e.end), e.newText));
}

/** A position in `text` → offset (the inverse of the ranges above), for commands that receive positions. */
export function offsetAt(text: string, position: { line: number; character: number }): number {
  return new LineIndex(text).offsetAt(position);
}
