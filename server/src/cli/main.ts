// The `buildout-freeze` command line: `check`, `annotate`, `freeze` and `lsp`. The only place that
// prints and exits. Everything it reports comes from the same core pipeline as the language server.

import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Workspace, canonical } from '../workspace/workspace';
import { NodeHost } from '../host/node-host';
import { checkProfile, loadForTarget, effectiveOptions } from '../check';
import { discoverRoots, projectFolderCandidates } from '../workspace/discover-roots';
import { RootIndex } from '../workspace/root-index';
import { downloadsOf } from '../model/downloads';
import { decodeProfile } from '../workspace/decode';
import { hasTemplateName, judgeProfileText } from '../syntax/looks-like-profile';
import { Finding, SEVERITY_ORDER, Severity } from '../core/finding';
import { annotate } from '../model/annotate';
import { formatJson, formatSarif, formatText, sortFindings } from './format';
import { CheckOptions, readMarker, targetFrom } from '../core/settings';
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
  // Each root to check, and the one file whose findings to keep when a fragment was named.
  const checks: { root: string; only?: string }[] = [];
  const indexes = new Map<string, RootIndex>();
  const rendered = new Map<string, Set<string>>();
  for (const p of positionals) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { throw new IoError(`${p}: no such file or folder`); }
    const patterns = rootPatternsFor(ws, values['root-pattern'], st.isDirectory() ? p : path.dirname(p));
    if (st.isDirectory()) {
      const found = discoverRoots(ws.host, p, patterns);
      if (!found.length) throw new IoError(`${p}: no root profile found (looked for ${patterns.join(', ')}, then for profiles nothing extends)`);
      for (const root of found) checks.push({ root });
      continue;
    }
    // A template named on the command line (jinja, nginx, ...) is not a profile: say so once instead of
    // reporting buildout syntax errors on every line of it.
    const notProfile = templateVerdict(ws, p);
    if (notProfile) { process.stderr.write(`buildout-freeze: ${p} is not a buildout profile (line ${notProfile.line + 1}: ${notProfile.reason}); not checked\n`); continue; }
    const judge = await judgingRoot(ws, p, patterns, options, indexes);
    if (judge) {
      process.stderr.write(`buildout-freeze: ${p} is judged in ${path.relative(process.cwd(), judge.root) || judge.root}, the nearest of the ${judge.of} root profile(s) that extend it\n`);
      checks.push({ root: judge.root, only: canonical(p) });
      continue;
    }
    const renderer = await renderingRoot(ws, p, patterns, options, indexes, rendered);
    if (renderer) process.stderr.write(`buildout-freeze: ${p} is a template that ${path.relative(process.cwd(), renderer) || renderer} renders, not a profile of its own; not checked (check ${path.relative(process.cwd(), renderer) || renderer})\n`);
    else if (hasTemplateName(p)) process.stderr.write(`buildout-freeze: ${p} is named like a template input (*.in, *.jinja2) and no profile extends it; not checked on its own\n`);
    else checks.push({ root: p });
  }
  // Each root is checked once, for everything (a root or folder was named) or for the fragments named in it.
  const byRoot = new Map<string, { whole: boolean; files: Set<string> }>();
  for (const { root, only } of checks) {
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
  const roots = byRoot;
  const findings = sortFindings(all);
  const cwd = process.cwd();
  process.stdout.write(format === 'json' ? formatJson(findings, cwd) : format === 'sarif' ? formatSarif(findings, cwd, VERSION) : formatText(findings, cwd, roots.size));
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_ORDER[failOn as Severity];
  return findings.some((f) => SEVERITY_ORDER[f.severity] <= threshold) ? 1 : 0;
}

/** Root patterns: from the command line, else the marker next to the profiles, else SlapOS's `software*.cfg`. */
function rootPatternsFor(ws: Workspace, given: string[] | undefined, dir: string): string[] {
  if (given?.length) return given;
  const marker = readMarker(ws, dir);
  return marker && 'rootPatterns' in marker && marker.rootPatterns?.length ? marker.rootPatterns : ['**/software*.cfg'];
}

/**
 * A fragment (component/foo/buildout.cfg, stack/x.cfg) is judged as the editor judges it: in the nearest
 * root profile of its project that reaches it through `extends`, not as a release of its own. Undefined
 * when the file is a root itself or no root reaches it.
 */
async function judgingRoot(ws: Workspace, file: string, patterns: string[], options: CheckOptions, indexes: Map<string, RootIndex>): Promise<{ root: string; of: number } | undefined> {
  const target = targetFrom(options.python, options.platform);
  for (const folder of projectFolderCandidates(ws.host, file, process.cwd())) {
    // One index per folder and patterns for the whole run: naming 400 fragments scans the tree once.
    const key = `${folder}\0${patterns.join('\0')}`;
    let index = indexes.get(key);
    if (!index) indexes.set(key, index = new RootIndex(ws, { folders: [folder], patterns, target, yieldNow: async () => {} }));
    if (index.matchesRootPattern(file)) return undefined;
    await index.scan();
    const reaching = index.rootsReaching(file);
    if (reaching.length) return { root: index.nearestRoot(canonical(file), reaching), of: reaching.length };
  }
  return undefined;
}

/**
 * The root of the project that renders or downloads `file` (an instance.cfg that slapos.recipe.template
 * fills in): a template input, whose `${...}` only mean something once rendered. Looked up only for a
 * named file that no root extends; each root's downloads are computed once per run.
 */
async function renderingRoot(ws: Workspace, file: string, patterns: string[], options: CheckOptions, indexes: Map<string, RootIndex>, rendered: Map<string, Set<string>>): Promise<string | undefined> {
  const wanted = canonical(file);
  for (const folder of projectFolderCandidates(ws.host, file, process.cwd())) {
    const index = indexes.get(`${folder}\0${patterns.join('\0')}`);
    for (const root of index?.roots() ?? []) {
      let files = rendered.get(root);
      if (!files) {
        const result = await checkProfile(ws, root, options);
        files = new Set(downloadsOf(ws, result.config, result.installed).flatMap((d) => (d.local ? [canonical(d.local)] : [])));
        ws.forgetRoot(root);
        rendered.set(root, files);
      }
      if (files.has(wanted)) return root;
    }
  }
  return undefined;
}

/** Why the file at `p` is a template rather than a profile, or undefined when it reads as a profile (or cannot be read: the check reports that). */
function templateVerdict(ws: Workspace, p: string): { line: number; reason: string } | undefined {
  const bytes = ws.host.readFile(p);
  if (!(bytes instanceof Uint8Array)) return undefined;
  const decoded = decodeProfile(bytes);
  if (!('text' in decoded)) return undefined;
  const verdict = judgeProfileText(decoded.text);
  return verdict.profile ? undefined : verdict;
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
