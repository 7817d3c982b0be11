// The `buildout-freeze` command line: `check`, `annotate`, `freeze` and `lsp`. The only place that
// prints and exits. Everything it reports comes from the same core pipeline as the language server.

import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Workspace, canonical } from '../workspace/workspace';
import { NodeHost } from '../host/node-host';
import { checkProfile, loadForTarget, effectiveOptions } from '../check';
import { planChecks } from './plan-checks';
import { Finding, SEVERITY_ORDER, Severity } from '../core/finding';
import { annotate } from '../model/annotate';
import { formatJson, formatSarif, formatText, sortFindings } from './format';
import { CheckOptions } from '../core/settings';
import { Mode, SeverityName } from '../protocol';
import { runFreezeCommand } from './freeze-command';
import { runLanguageServer } from '../lsp/main';

const VERSION = '0.1.0';

const USAGE = `Usage:
  buildout-freeze check [--format text|json|sarif] [--fail-on error|warning|never] [--mode release|development]
                        [--python X.Y] [--platform linux-x86_64] [--severity RULE=LEVEL]... [--root-pattern GLOB]...
                        [--network] [--timeout SECONDS] PATH...
  buildout-freeze annotate [--format text|json] [--python X.Y] PROFILE [SECTION...]
  buildout-freeze freeze [--versions FILE] [--write] [--network] [--timeout SECONDS] PROFILE
  buildout-freeze lsp --stdio
  buildout-freeze --version

PATH is a profile or a folder (a folder means every root profile under it: software*.cfg files, or
else every profile nothing else extends). Exit status: 0 when no finding at or above --fail-on
(default warning), 1 when there is one, 2 for a usage or I/O error.`;

class UsageError extends Error {}

function fail(message: string): never { throw new UsageError(message); }

function commonOptions(values: Record<string, unknown>): CheckOptions {
  const mode = values.mode as string | undefined;
  if (mode && mode !== 'release' && mode !== 'development') fail(`--mode must be release or development, not ${mode}`);
  const severity: Record<string, SeverityName> = {};
  for (const s of (values.severity as string[] | undefined) ?? []) {
    const m = /^([\w-]+)=(error|warning|information|hint|off)$/.exec(s);
    if (!m) fail(`--severity takes RULE=error|warning|information|hint|off, not ${s}`);
    severity[m[1]] = m[2] as SeverityName;
  }
  const python = values.python as string | undefined;
  if (python && !/^(pypy)?\d\.\d{1,2}$/.test(python)) fail(`--python takes a version such as 3.11 or 2.7, not ${python}`);
  return { mode: mode as Mode | undefined, severity, python, platform: values.platform as string | undefined };
}

function workspaceFor(values: Record<string, unknown>): Workspace {
  const timeout = values.timeout !== undefined ? Number(values.timeout) : 30;
  if (!Number.isFinite(timeout) || timeout <= 0) fail(`--timeout takes a number of seconds, not ${values.timeout}`);
  return new Workspace(new NodeHost(), { allowNetwork: Boolean(values.network), downloadTimeoutMs: timeout * 1000 });
}

async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    format: { type: 'string', default: 'text' }, 'fail-on': { type: 'string', default: 'warning' }, mode: { type: 'string' },
    python: { type: 'string' }, platform: { type: 'string' }, severity: { type: 'string', multiple: true },
    'root-pattern': { type: 'string', multiple: true }, network: { type: 'boolean' }, timeout: { type: 'string' },
  } });
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) fail(`--format must be text, json or sarif, not ${format}`);
  const failOn = values['fail-on']!;
  if (!['error', 'warning', 'never'].includes(failOn)) fail(`--fail-on must be error, warning or never, not ${failOn}`);
  if (positionals.length === 0) fail('check needs at least one PATH (a profile or a folder)');
  const options = commonOptions(values);
  const ws = workspaceFor(values);
  const plan = await planChecks(ws, positionals, values['root-pattern'], options);
  if ('error' in plan) throw new IoError(plan.error);
  for (const note of plan.notes) process.stderr.write(`buildout-freeze: ${note}\n`);
  // Each root is checked once, for everything (a root or folder was named) or for the fragments named in it.
  const byRoot = new Map<string, { whole: boolean; files: Set<string> }>();
  for (const { root, only } of plan.checks) {
    const entry = byRoot.get(root) ?? { whole: false, files: new Set<string>() };
    if (only) entry.files.add(only); else entry.whole = true;
    byRoot.set(root, entry);
  }
  const all: Finding[] = [];
  const seen = new Set<string>();
  for (const [root, { whole, files }] of byRoot) {
    const result = await checkProfile(ws, root, options);
    // What the check memoised for a re-check can go.
    ws.forgetRoot(root);
    for (const f of result.findings) {
      if (!whole && !files.has(canonical(f.file))) continue;
      // The same problem at the same place, met again through another root, is listed once (first root wins).
      const k = `${f.file}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.code}`;
      if (seen.has(k)) continue;
      seen.add(k);
      all.push(f);
    }
  }
  const findings = sortFindings(all);
  const cwd = process.cwd();
  process.stdout.write(format === 'json' ? formatJson(findings, cwd) : format === 'sarif' ? formatSarif(findings, cwd, VERSION) : formatText(findings, cwd, byRoot.size));
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_ORDER[failOn as Severity];
  return findings.some((f) => SEVERITY_ORDER[f.severity] <= threshold) ? 1 : 0;
}

async function runAnnotate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    format: { type: 'string', default: 'text' }, python: { type: 'string' }, platform: { type: 'string' }, network: { type: 'boolean' }, timeout: { type: 'string' },
  } });
  if (!['text', 'json'].includes(values.format!)) fail(`--format must be text or json, not ${values.format}`);
  const [profile, ...sections] = positionals;
  if (!profile) fail('annotate needs a PROFILE');
  if (!fs.existsSync(profile) || fs.statSync(profile).isDirectory()) throw new IoError(`${profile}: no such profile file`);
  const ws = workspaceFor(values);
  const root = canonical(profile);
  const { config } = await loadForTarget(ws, root, effectiveOptions(ws, root, commonOptions(values)));
  const data = annotate(config, ws, sections);
  const cwd = process.cwd();
  const rel = (f: string) => (f === 'DEFAULT_VALUE' || /^[a-z]+:\/\//i.test(f) ? f : path.relative(cwd, f));
  for (const s of sections) if (!(s in data)) process.stderr.write(`buildout-freeze: no section [${s}] in ${profile}\n`);
  if (values.format === 'json') {
    const out: Record<string, Record<string, { value: string; origins: { file: string; line: number }[] }>> = {};
    for (const [name, opts] of Object.entries(data)) {
      out[name] = {};
      for (const [k, v] of Object.entries(opts)) out[name][k] = { value: v.value, origins: v.origins.map((o) => ({ file: rel(o.file), line: o.line })) };
    }
    process.stdout.write(JSON.stringify({ sections: out }, null, 2) + '\n');
  } else {
    let text = 'Annotated sections\n==================\n';
    for (const [name, opts] of Object.entries(data)) {
      text += `\n[${name}]\n`;
      for (const [k, v] of Object.entries(opts)) {
        const lines = v.value.split('\n');
        text += `${k}=${v.value ? ' ' + lines[0] : ''}\n${lines.slice(1).map((l) => l + '\n').join('')}`;
        for (const o of [...v.origins].reverse()) text += `    ${o.operation === 'ADD' ? '+= ' : o.operation === 'REMOVE' ? '-= ' : ''}${rel(o.file)}${o.line ? ':' + o.line : ''}\n`;
      }
    }
    process.stdout.write(text);
  }
  for (const p of config.problems) if (p.severity === 'error') process.stderr.write(`buildout-freeze: ${path.relative(cwd, p.file)}: ${p.message}\n`);
  return 0;
}

class IoError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': return await runCheck(rest);
      case 'annotate': return await runAnnotate(rest);
      case 'freeze': return await runFreezeCommand(rest, { fail: (m) => fail(m), io: (m) => { throw new IoError(m); } });
      case 'lsp': {
        runLanguageServer();
        return -1;
      }
      case '--version': case '-v': process.stdout.write(VERSION + '\n'); return 0;
      case '--help': case '-h': case 'help': process.stdout.write(USAGE + '\n'); return 0;
      case undefined: fail('a command is needed');
      default: fail(`unknown command ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`buildout-freeze: ${e.message}\n\n${USAGE}\n`); return 2; }
    if (e instanceof IoError) { process.stderr.write(`buildout-freeze: ${e.message}\n`); return 2; }
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) { process.stderr.write(`buildout-freeze: ${(e as Error).message}\n\n${USAGE}\n`); return 2; }
    process.stderr.write(`buildout-freeze: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exitCode = code; });
}
