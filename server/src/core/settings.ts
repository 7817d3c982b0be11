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
        const json = JSON.parse(text.text) as MarkerSettings;
        if (json.mode !== undefined && json.mode !== 'release' && json.mode !== 'development') return { error: `${file}: "mode" must be "release" or "development"`, file };
        return { ...json, file };
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

export function targetFrom(python: string | undefined, platform: string | undefined): Target {
  const t: Target = { ...DEFAULT_TARGET };
  const p = python ? parsePythonVersion(python) : undefined;
  if (p) Object.assign(t, p);
  const pl = platform ? parsePlatform(platform) : undefined;
  if (pl) Object.assign(t, pl);
  return t;
}
