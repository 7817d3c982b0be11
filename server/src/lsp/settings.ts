// Reads the `buildoutFreeze.*` settings the client sends (workspace/configuration) into the core's options.
// Whatever the user wrote, the result is complete and valid: unknown values fall back to the defaults.

import { CheckOptions } from '../core/settings';
import { Target } from '../model/target';
import { targetFrom } from '../core/settings';
import { DEFAULT_SETTINGS, Mode, SeverityName, Settings } from '../protocol';

const SEVERITY_NAMES = new Set<SeverityName>(['error', 'warning', 'information', 'hint', 'off']);

export function normaliseSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof Settings, unknown>>;
  const severity: Record<string, SeverityName> = {};
  if (r.severity && typeof r.severity === 'object') {
    for (const [k, v] of Object.entries(r.severity as Record<string, unknown>)) if (SEVERITY_NAMES.has(v as SeverityName)) severity[k] = v as SeverityName;
  }
  const patterns = Array.isArray(r.rootPatterns) ? r.rootPatterns.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  const timeout = typeof r.downloadTimeoutSeconds === 'number' && r.downloadTimeoutSeconds > 0 ? r.downloadTimeoutSeconds : DEFAULT_SETTINGS.downloadTimeoutSeconds;
  return {
    mode: r.mode === 'release' || r.mode === 'development' || r.mode === 'auto' ? r.mode : DEFAULT_SETTINGS.mode,
    severity,
    rootPatterns: patterns.length ? patterns : DEFAULT_SETTINGS.rootPatterns,
    python: typeof r.python === 'string' && /^(\d+\.\d+)?$/.test(r.python.trim()) ? r.python.trim() : DEFAULT_SETTINGS.python,
    platform: typeof r.platform === 'string' && r.platform.trim() ? r.platform.trim() : DEFAULT_SETTINGS.platform,
    allowNetwork: typeof r.allowNetwork === 'boolean' ? r.allowNetwork : DEFAULT_SETTINGS.allowNetwork,
    downloadTimeoutSeconds: timeout,
  };
}

/** The options of a check: `auto` leaves the mode to the project's marker file or the core's default. */
export function checkOptionsOf(settings: Settings): CheckOptions {
  return {
    ...(settings.mode !== 'auto' ? { mode: settings.mode as Mode } : {}),
    severity: settings.severity,
    ...(settings.python ? { python: settings.python } : {}),
    platform: settings.platform,
  };
}

/** The target the extends graph is read for when indexing roots. */
export function indexTargetOf(settings: Settings): Target {
  return targetFrom(settings.python || undefined, settings.platform);
}

/** True when the settings that decide which roots exist, or how chains are read, differ. */
export function indexSettingsChanged(a: Settings, b: Settings): boolean {
  return a.rootPatterns.join('\0') !== b.rootPatterns.join('\0') || a.python !== b.python || a.platform !== b.platform;
}
