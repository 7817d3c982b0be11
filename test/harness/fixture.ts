// Data-driven tests that read like profiles. A fixture is one string holding several files, each
// introduced by `#- /path`; expectations are buildout comments under the text they point at:
//
//   eggs = requests
//   #      ^^^^^^^^ warning[unpinned-egg]: requests is not pinned ...
//
// The harness writes the files (without the expectation lines) into a real temp directory, runs the
// real checker, renders the actual findings back the same way and returns both texts, so a failing
// test shows a readable diff. `{{md5 /path}}` is replaced by the md5sum of that fixture file.
// A range starting in column 0 is drawn from the `#` itself (`#^^^` covers columns 0 to 3).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as crypto from 'crypto';
import * as assert from 'assert/strict';
import { Workspace } from '../../server/src/workspace/workspace';
import { NodeHost } from '../../server/src/host/node-host';
import { checkProfile } from '../../server/src/check';
import { CheckOptions } from '../../server/src/core/settings';
import { Finding } from '../../server/src/core/finding';

const ANNOTATION = /^#\s*\^+ (error|warning|information|hint)\[[\w-]+\]/;

export interface FixtureFile { path: string; lines: string[] }

export function splitFixture(fixture: string): FixtureFile[] {
  const files: FixtureFile[] = [];
  let current: FixtureFile | undefined;
  const text = fixture.replace(/^\n/, '');
  for (const line of text.split('\n')) {
    const m = /^#- (\/\S+)\s*$/.exec(line);
    if (m) { current = { path: m[1], lines: [] }; files.push(current); continue; }
    if (!current) { if (line.trim()) throw new Error(`fixture text before the first "#- /path" line: ${line}`); continue; }
    current.lines.push(line);
  }
  for (const f of files) while (f.lines.length && f.lines[f.lines.length - 1] === '') f.lines.pop();
  return files;
}

function expandMd5(files: FixtureFile[]): void {
  const plain = (f: FixtureFile) => f.lines.filter((l) => !ANNOTATION.test(l)).join('\n') + '\n';
  for (let round = 0; round < 4; round++) {
    for (const f of files) {
      f.lines = f.lines.map((l) => l.replace(/\{\{md5 (\/\S+?)\}\}/g, (_, p: string) => {
        const target = files.find((x) => x.path === p);
        if (!target) throw new Error(`{{md5 ${p}}}: no such fixture file`);
        return crypto.createHash('md5').update(plain(target)).digest('hex');
      }));
    }
  }
}

export interface FixtureRun { dir: string; expected: string; actual: string; findings: Finding[] }

export async function runFixture(fixture: string, options: CheckOptions & { root?: string; setup?: (dir: string) => void } = {}): Promise<FixtureRun> {
  const files = splitFixture(fixture);
  expandMd5(files);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-fixture-'));
  for (const f of files) {
    const file = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.lines.filter((l) => !ANNOTATION.test(l)).join('\n') + '\n');
  }
  options.setup?.(dir);
  const ws = new Workspace(new NodeHost(), { allowNetwork: false, downloadTimeoutMs: 2000 });
  const root = path.join(dir, options.root ?? files[0].path);
  const result = await checkProfile(ws, root, options);
  const expected = files.map((f) => `#- ${f.path}\n${f.lines.join('\n')}`).join('\n');
  const actual = files.map((f) => `#- ${f.path}\n${render(f, result.findings.filter((x) => x.file === path.join(dir, f.path)), dir)}`).join('\n');
  const stray = result.findings.filter((x) => !files.some((f) => x.file === path.join(dir, f.path)));
  const strayText = stray.map((x) => `\n#! ${path.relative(dir, x.file)}:${x.range.start.line + 1}: ${x.severity}[${x.code}]: ${x.message}`).join('');
  return { dir, expected, actual: actual + strayText, findings: result.findings };
}

function render(f: FixtureFile, findings: Finding[], dir: string): string {
  const lines = f.lines.filter((l) => !ANNOTATION.test(l));
  const byLine = new Map<number, Finding[]>();
  for (const x of findings) {
    const l = Math.min(x.range.start.line, Math.max(0, lines.length - 1));
    if (!byLine.has(l)) byLine.set(l, []);
    byLine.get(l)!.push(x);
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(line);
    const here = (byLine.get(i) ?? []).sort((a, b) => a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
    for (const x of here) {
      const start = x.range.start.character;
      const endCol = x.range.end.line === x.range.start.line ? x.range.end.character : line.length;
      const width = Math.max(1, endCol - start);
      const prefix = start === 0 ? '#' + '^'.repeat(Math.max(1, width - 1)) : '#' + ' '.repeat(start - 1) + '^'.repeat(width);
      const more = x.range.end.line > x.range.start.line ? ` (+${x.range.end.line - x.range.start.line} lines)` : '';
      out.push(`${prefix} ${x.severity}[${x.code}]${more}: ${x.message.split(dir).join('')}`);
    }
  });
  return out.join('\n');
}

/** Runs a fixture and asserts that the findings drawn into it equal the expectations written in it. */
export async function checkFixture(fixture: string, options: CheckOptions & { root?: string; setup?: (dir: string) => void } = {}): Promise<FixtureRun> {
  const run = await runFixture(fixture, options);
  try {
    assert.equal(run.actual, run.expected);
  } finally {
    fs.rmSync(run.dir, { recursive: true, force: true });
  }
  return run;
}
