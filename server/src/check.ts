// The one pipeline behind both front ends: for a root profile, build the effective configuration for
// its target, find what buildout installs, run every rule, and return Findings with exact ranges.
// The language server and the CLI both call `checkProfile`; neither re-implements any of it.

import * as path from 'path';
import { Finding, Severity } from './core/finding';
import { Rule, RuleFinding } from './core/rule';
import { CheckOptions, readMarker, targetFrom } from './core/settings';
import { RULES } from './rules/index';
import { EffectiveConfig } from './model/effective-config';
import { Installed, computeInstalled } from './model/installed';
import { Problem } from './model/problem';
import { Target, parsePythonVersion } from './model/target';
import { Workspace, canonical } from './workspace/workspace';
import { Mode } from './protocol';
import { excerpt } from './syntax/excerpt';

/** A finding's message is cut to this length, whatever text of the profile it quotes. */
const MAX_MESSAGE_LENGTH = 2000;

export interface CheckResult {
  root: string;
  findings: Finding[];
  config: EffectiveConfig;
  installed: Installed;
  target: Target;
  mode: Mode;
}

/** The Python version the release builds with: `${${buildout:python}:part}`'s `version`. */
export function releasePython(config: EffectiveConfig): string | undefined {
  const python = config.get('buildout', 'python')?.value.trim();
  if (!python || !config.has(python)) return undefined;
  const part = config.get(python, 'part')?.value.trim() || python;
  return config.get(part, 'version')?.value.trim() || config.get(python, 'version')?.value.trim();
}

/** Loads the effective configuration for the target the options (or the release itself) name. */
export async function loadForTarget(ws: Workspace, root: string, options: CheckOptions): Promise<{ config: EffectiveConfig; target: Target }> {
  if (options.python) {
    const target = targetFrom(options.python, options.platform);
    return { config: await ws.effectiveConfig(root, target), target };
  }
  let target = targetFrom(undefined, options.platform);
  let config = await ws.effectiveConfig(root, target);
  const own = releasePython(config);
  const parsed = own ? parsePythonVersion(own) : undefined;
  if (parsed && parsed.python.join('.') !== target.python.join('.')) {
    target = { ...target, ...parsed };
    config = await ws.effectiveConfig(root, target);
  }
  return { config, target };
}

export function effectiveOptions(ws: Workspace, root: string, options: CheckOptions): CheckOptions & { markerError?: string } {
  const marker = readMarker(ws, path.dirname(canonical(root)));
  if (!marker) return options;
  if ('error' in marker) return { ...options, markerError: marker.error };
  return {
    mode: options.mode ?? marker.mode,
    severity: { ...(marker.severity ?? {}), ...(options.severity ?? {}) },
    python: options.python ?? marker.python,
    platform: options.platform ?? marker.platform,
  };
}

/**
 * The mode when neither the caller nor the marker names one: SlapOS keeps a development variant of a
 * release beside it (`software-dev.cfg`, `development.cfg`) that follows branches and floats on purpose,
 * so such a profile is judged in development mode; every other profile is a release.
 */
export function defaultModeOf(root: string): Mode {
  return /(^|[-_.])(dev|development)\.cfg$/i.test(path.basename(root)) ? 'development' : 'release';
}

export async function checkProfile(ws: Workspace, rootIn: string, optionsIn: CheckOptions = {}): Promise<CheckResult> {
  const root = canonical(rootIn);
  const options = effectiveOptions(ws, root, optionsIn);
  const mode: Mode = options.mode ?? defaultModeOf(root);
  const { config, target } = await loadForTarget(ws, root, options);
  const installed = computeInstalled(config, ws);
  const findings: Finding[] = [];
  const severityOf = (code: string, base: Severity, rule?: Rule): Severity | undefined => {
    const set = options.severity?.[code];
    if (set === 'off') return undefined;
    if (set) return set;
    if (rule?.freeze && mode === 'development') return 'information';
    return base;
  };
  const push = (p: Problem | (RuleFinding & { code: string; severity: Severity }), rule?: Rule) => {
    const severity = severityOf(p.code, p.severity, rule);
    if (!severity) return;
    findings.push({
      file: p.file, range: rangeOf(ws, p.file, p.start, p.end), severity, code: p.code, message: excerpt(p.message, MAX_MESSAGE_LENGTH), profile: root,
      ...('related' in p && p.related ? { related: p.related.map((r) => ({ file: r.file, range: rangeOf(ws, r.file, r.start, r.end), message: r.message })) } : {}),
      ...('data' in p && p.data ? { data: p.data } : {}),
    });
  };
  if (options.markerError) findings.push({ file: root, range: rangeOf(ws, root, 0, 0), severity: 'error', code: 'settings-error', message: options.markerError, profile: root });
  for (const p of config.problems) push(p);
  for (const p of installed.problems) push(p);
  for (const rule of RULES) {
    try {
      const found = config.derive('rule', `${rule.id}\0${mode}`, () => {
        const out: RuleFinding[] = [];
        rule.check({ root, config, ws, mode, report: (f: RuleFinding) => { out.push(f); } });
        return out;
      });
      for (const f of found) push({ ...f, code: rule.id, severity: f.severity ?? rule.defaultSeverity }, rule);
    } catch (e) {
      findings.push({ file: root, range: rangeOf(ws, root, 0, 0), severity: 'error', code: 'internal-error', message: `The rule ${rule.id} failed: ${(e as Error).stack ?? e}`, profile: root });
    }
  }
  for (const p of config.lazyProblems.values()) push(p);
  return { root, findings: dedupe(findings), config, installed, target, mode };
}

function rangeOf(ws: Workspace, file: string, start: number, end: number) {
  const syntax = ws.syntaxOf(file);
  if (!syntax) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return syntax.index.rangeOf(start, Math.max(start, end));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.file}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.code}\0${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
