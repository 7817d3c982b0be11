// The options of one check (mode, severities, target), and how they are read from a marker file that a
// project commits next to its profiles: `.buildout-freeze.json`, found in the profile's folder or above.

import * as path from 'path';
import { Mode, SeverityName } from '../protocol';
import { Target, DEFAULT_TARGET, parsePythonVersion, parsePlatform } from '../model/target';
import type { Workspace } from '../workspace/workspace';

export interface CheckOptions {
  mode?: Mode;
  severity?: Record<string, SeverityName>;
  /** Python "X.Y" for conditional sections; absent = the release's own Python. */
  python?: string;
  platform?: string;
}

export const MARKER_FILE = '.buildout-freeze.json';

export interface MarkerSettings extends CheckOptions { rootPatterns?: string[]; file: string }

/** The nearest marker file at or above `dir`, parsed; errors are returned, not thrown. */
export function readMarker(ws: Workspace, dir: string): MarkerSettings | { error: string; file: string } | undefined {
  for (let d = path.resolve(dir), i = 0; i < 64; i++) {
    const file = path.join(d, MARKER_FILE);
    const text = ws.readText(file);
    if ('text' in text) {
      try {
        const json = JSON.parse(text.text) as unknown;
        const problem = markerProblem(json);
        if (problem) return { error: `${file}: ${problem}`, file };
        return { ...(json as MarkerSettings), file };
      } catch (e) {
        return { error: `${file} is not valid JSON: ${(e as Error).message}`, file };
      }
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

const SEVERITY_NAMES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Why a parsed marker file cannot be used (`null`, an array, a wrong type), or undefined when it can. */
function markerProblem(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'the settings must be a JSON object';
  const m = json as Record<string, unknown>;
  if (m.mode !== undefined && m.mode !== 'release' && m.mode !== 'development') return '"mode" must be "release" or "development"';
  for (const key of ['python', 'platform'] as const) {
    if (m[key] !== undefined && typeof m[key] !== 'string') return `"${key}" must be a string`;
  }
  if (m.severity !== undefined) {
    if (typeof m.severity !== 'object' || m.severity === null || Array.isArray(m.severity)) return '"severity" must be an object of rule ids to severities';
    for (const [rule, value] of Object.entries(m.severity)) {
      if (typeof value !== 'string' || !SEVERITY_NAMES.has(value)) return `"severity" of ${JSON.stringify(rule)} must be one of error, warning, information, hint, off`;
    }
  }
  if (m.rootPatterns !== undefined && (!Array.isArray(m.rootPatterns) || m.rootPatterns.some((p) => typeof p !== 'string'))) return '"rootPatterns" must be an array of strings';
  return undefined;
}

export function targetFrom(python: string | undefined, platform: string | undefined): Target {
  const t: Target = { ...DEFAULT_TARGET };
  const p = python ? parsePythonVersion(python) : undefined;
  if (p) Object.assign(t, p);
  const pl = platform ? parsePlatform(platform) : undefined;
  if (pl) Object.assign(t, pl);
  return t;
}
