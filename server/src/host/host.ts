// The only door to the outside world: local files, downloads and git. The core asks through this
// interface so tests can use a real temp directory and a real 127.0.0.1 server, and so the language
// server can layer open editor buffers on top of the disk. Nothing here knows buildout.

export type FileError = { error: string; kind: 'missing' | 'directory' | 'unreadable' | 'too-large' };

export interface FetchOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Stop and fail past this many bytes. */
  maxBytes?: number;
  onProgress?: (received: number, total: number | undefined) => void;
}

export type FetchResult = { bytes: Uint8Array } | { error: string };

export interface GitRef { name: string; sha: string }

export interface Host {
  /** Reads a local file's bytes. Never throws. */
  readFile(path: string): Uint8Array | FileError;
  /** True when a local path exists (file or directory). */
  exists(path: string): boolean;
  /** The entries of a local directory (symbolic links are followed for the kind). Never throws. */
  readDir(path: string): { name: string; isDirectory: boolean }[] | FileError;
  /** Downloads an http(s) URL. Never throws. */
  fetch(url: string, options: FetchOptions): Promise<FetchResult>;
  /** `git ls-remote` of a repository; the refs it advertises. Never throws. */
  gitLsRemote(repository: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<GitRef[] | { error: string }>;
  /** Writes files all-or-nothing per file (temp file + rename). Never throws. */
  writeFileAtomic(path: string, text: string): { error: string } | undefined;
}
