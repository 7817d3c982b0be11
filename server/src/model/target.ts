// The machine and Python a release is judged for: conditional sections such as `[versions:python2]`
// and `[x:linux and platform.machine() == "x86_64"]` are evaluated against it, never against the host.

export interface Target {
  /** Python version as [major, minor]. */
  python: [number, number];
  implementation: 'cpython' | 'pypy';
  /** `sys.platform`: linux, darwin, win32, cygwin, sunos. */
  sysPlatform: string;
  /** `platform.machine()`: x86_64, i686, aarch64, ... */
  machine: string;
}

export const DEFAULT_TARGET: Target = { python: [3, 11], implementation: 'cpython', sysPlatform: 'linux', machine: 'x86_64' };

/** Reads "3.11", "2.7", "pypy3.10" into a target Python; undefined when the text is not a version. */
export function parsePythonVersion(text: string): Pick<Target, 'python' | 'implementation'> | undefined {
  const m = /^\s*(pypy|python|cpython)?\s*(\d)\.?(\d{1,2})?\s*$/i.exec(text);
  if (!m) return undefined;
  const major = Number(m[2]);
  const minor = m[3] !== undefined ? Number(m[3]) : major === 2 ? 7 : 11;
  return { python: [major, minor], implementation: m[1]?.toLowerCase() === 'pypy' ? 'pypy' : 'cpython' };
}

/** Reads "linux-x86_64", "linux-aarch64", "darwin-arm64" into the platform half of a target. */
export function parsePlatform(text: string): Pick<Target, 'sysPlatform' | 'machine'> | undefined {
  const m = /^\s*([a-z0-9]+)[-_/ ]([A-Za-z0-9_]+)\s*$/.exec(text);
  if (!m) return undefined;
  return { sysPlatform: m[1], machine: m[2] };
}
