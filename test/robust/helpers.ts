// Small helpers for the robustness tests: a real temp directory filled with files (text or bytes),
// a check of one of them with the real NodeHost, and the invariants every result must keep.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Workspace, WorkspaceOptions } from '../../server/src/workspace/workspace';
import { NodeHost } from '../../server/src/host/node-host';
import { CheckResult, checkProfile } from '../../server/src/check';
import { CheckOptions } from '../../server/src/core/settings';
import { Finding } from '../../server/src/core/finding';
import { RULES } from '../../server/src/rules/index';
import { assertFindingInvariants, assertSyntaxInvariants } from './invariants';

export function tempDir(files: Record<string, string | Uint8Array> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-robust-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

export interface Checked extends CheckResult { ws: Workspace; dir: string }

/**
 * Checks `dir/root` and asserts the invariants of every finding and of every file parsed on the way.
 * The rules still run (a rule that throws is an `internal-error`, which the invariants refuse), but
 * their findings are turned off unless `rules` is set: these tests are about the model's findings,
 * and must not change each time a rule lands.
 */
export async function checkIn(dir: string, root: string, options: CheckOptions = {}, wsOptions: WorkspaceOptions = { allowNetwork: false, downloadTimeoutMs: 500 }, rules = false): Promise<Checked> {
  const ws = new Workspace(new NodeHost(), wsOptions);
  const quiet = rules ? {} : Object.fromEntries(RULES.map((r) => [r.id, 'off' as const]));
  const result = await checkProfile(ws, path.join(dir, root), { ...options, severity: { ...quiet, ...options.severity } });
  assertFindingInvariants(ws, result.findings);
  for (const file of result.config.files) {
    const syntax = ws.syntaxOf(file);
    if (syntax) assertSyntaxInvariants(syntax);
  }
  return { ...result, ws, dir };
}

/** `code: message` of each finding, with the temp directory cut out, for readable assertions. */
export function summary(findings: readonly Finding[], dir: string): string[] {
  return findings.map((f) => `${f.code}: ${f.message.split(dir + '/').join('').split(dir).join('')}`);
}

export function only(findings: readonly Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}
