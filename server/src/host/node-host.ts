// The Host backed by Node: fs for files, http(s) with timeouts, cancellation and a size cap for
// downloads, and the git executable for ls-remote (spawned without a shell; only on request).

import * as fs from 'fs';
import * as crypto from 'crypto';
import * as path from 'path';
import type * as Http from 'http';
import type * as ChildProcess from 'child_process';
import { FetchOptions, FetchResult, FileError, GitRef, Host } from './host';
import { excerpt } from '../syntax/excerpt';

const MAX_PROFILE_BYTES = 64 * 1024 * 1024;

// http, https (with the TLS code behind it) and child_process are loaded on the first download or git
// look-up: loaded at start, they cost the language server about 1.3 MiB of memory for its whole life,
// for features that most sessions never use.
const lazyHttp = (): typeof Http => require('http') as typeof Http;
const lazyHttps = (): typeof Http => require('https') as typeof Http;
const lazySpawn = (): typeof ChildProcess.spawn => (require('child_process') as typeof ChildProcess).spawn;

export class NodeHost implements Host {
  readFile(file: string): Uint8Array | FileError {
    // A missing file is common (a develop egg's setup.py, a marker file above the profile): statting
    // without throwing keeps that path free of exception objects, which cost more than the read itself.
    let st: fs.Stats | undefined;
    try {
      // Without throwIfNoEntry a missing file costs an exception with a stack trace; an `extends` of
      // 100,000 missing files spent most of its time building them.
      st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st) return { error: `${file} does not exist`, kind: 'missing' };
      if (st.isDirectory()) return { error: `${file} is a directory, not a file`, kind: 'directory' };
      if (st.size > MAX_PROFILE_BYTES) return { error: `${file} is larger than ${MAX_PROFILE_BYTES / 1024 / 1024} MiB`, kind: 'too-large' };
      return fs.readFileSync(file);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return { error: `${file} does not exist`, kind: 'missing' };
      if (err.code === 'ELOOP') return { error: `${file} is a symbolic link loop`, kind: 'unreadable' };
      return { error: `${file} cannot be read (${err.code ?? err.message})`, kind: 'unreadable' };
    }
  }

  exists(file: string): boolean {
    try { return fs.statSync(file, { throwIfNoEntry: false }) !== undefined; } catch { return false; }
  }

  readDir(dir: string): { name: string; isDirectory: boolean; realPath?: string }[] | FileError {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
        if (!e.isSymbolicLink()) return { name: e.name, isDirectory: e.isDirectory() };
        try {
          const full = path.join(dir, e.name);
          if (!fs.statSync(full).isDirectory()) return { name: e.name, isDirectory: false };
          return { name: e.name, isDirectory: true, realPath: fs.realpathSync(full) };
        } catch {
          return { name: e.name, isDirectory: false };
        }
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') return { error: `${dir} does not exist`, kind: 'missing' };
      if (err.code === 'ENOTDIR') return { error: `${dir} is not a directory`, kind: 'unreadable' };
      return { error: `${dir} cannot be listed (${err.code ?? err.message})`, kind: 'unreadable' };
    }
  }

  fetch(url: string, options: FetchOptions): Promise<FetchResult> {
    return fetchUrl(url, options, 5);
  }

  gitLsRemote(repository: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<GitRef[] | { error: string }> {
    const refused = gitRepositoryProblem(repository);
    if (refused) return Promise.resolve({ error: `${excerpt(JSON.stringify(repository))} is not a git URL this tool will contact: ${refused}` });
    if (options.signal?.aborted) return Promise.resolve({ error: 'cancelled' });
    return new Promise((resolve) => {
      // Its own process group, so a timeout or cancel also ends the ssh or git-remote-https it started.
      const group = process.platform !== 'win32';
      const child = lazySpawn()('git', ['-c', 'protocol.ext.allow=never', '-c', 'protocol.fd.allow=never', 'ls-remote', '--', repository], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: group,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', SSH_ASKPASS: 'true', GIT_ALLOW_PROTOCOL: ALLOWED_GIT_PROTOCOLS.join(':') },
      });
      let out = '', err = '';
      let settled = false;
      const kill = () => {
        try { if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); else child.kill('SIGKILL'); } catch { child.kill('SIGKILL'); }
      };
      const finish = (r: GitRef[] | { error: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        resolve(r);
      };
      const timer = setTimeout(() => { kill(); finish({ error: `git ls-remote ${repository} timed out after ${options.timeoutMs} ms` }); }, options.timeoutMs);
      const abort = () => { kill(); finish({ error: 'cancelled' }); };
      options.signal?.addEventListener('abort', abort, { once: true });
      child.stdout.on('data', (d) => {
        out += d;
        if (out.length > MAX_LS_REMOTE_CHARS) { kill(); finish({ error: `git ls-remote ${repository} advertised more than ${MAX_LS_REMOTE_CHARS} characters of refs` }); }
      });
      child.stderr.on('data', (d) => { if (err.length < 64 * 1024) err += d; });
      child.on('error', (e) => finish({ error: `git could not run: ${e.message}` }));
      child.on('close', (code) => {
        if (code !== 0) return finish({ error: `git ls-remote ${repository} failed: ${excerpt(err.trim(), 2000) || 'exit ' + code}` });
        finish(out.split('\n').filter(Boolean).map((l) => { const [sha, name] = l.split('\t'); return { sha, name }; }));
      });
    });
  }

  writeFileAtomic(file: string, text: string): { error: string } | undefined {
    // Write through a symbolic link to the file it names: renaming over the link would replace it with a
    // copy and leave the shared file it pointed to unchanged.
    let target = file;
    try { target = fs.realpathSync(file); } catch { /* a new file, or a dangling link: write the path itself */ }
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    let created = false;
    try {
      let mode: number | undefined;
      try { mode = fs.statSync(target).mode & 0o7777; } catch { /* new file */ }
      // 'wx': never reuse, or write through, something already at the temporary name.
      const fd = fs.openSync(tmp, 'wx', mode ?? 0o644);
      created = true;
      try {
        if (mode !== undefined) fs.fchmodSync(fd, mode);
        fs.writeFileSync(fd, text);
        fs.fsyncSync(fd);
      } finally { fs.closeSync(fd); }
      fs.renameSync(tmp, target);
      created = false;
      try { const dir = fs.openSync(path.dirname(target), 'r'); try { fs.fsyncSync(dir); } finally { fs.closeSync(dir); } } catch { /* not every system syncs directories */ }
      return undefined;
    } catch (e) {
      if (created) { try { fs.unlinkSync(tmp); } catch { /* nothing to clean */ } }
      return { error: `cannot write ${file}: ${(e as Error).message}` };
    }
  }
}

function fetchUrl(url: string, options: FetchOptions, redirects: number): Promise<FetchResult> {
  return new Promise((resolve) => {
    let parsed: URL;
    try { parsed = new URL(url); } catch { return resolve({ error: `${url} is not a valid URL` }); }
    const lib = parsed.protocol === 'https:' ? lazyHttps() : parsed.protocol === 'http:' ? lazyHttp() : undefined;
    if (!lib) return resolve({ error: `${url}: only http and https downloads are supported` });
    if (options.signal?.aborted) return resolve({ error: 'cancelled' });
    let settled = false;
    let received = 0;
    const done = (r: FetchResult) => { if (!settled) { settled = true; clearTimeout(timer); options.signal?.removeEventListener('abort', onAbort); resolve(r); } };
    const req = lib.get(parsed, { headers: { 'user-agent': 'buildout-freeze' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) return done({ error: `${url}: too many redirects` });
        // A server may send any text as Location; `new URL` throws on a bad one, and a throw here, in
        // a response callback, would take the whole process down.
        let next: string;
        try { next = new URL(res.headers.location, parsed).href; } catch { return done({ error: `${url}: the server redirects to an invalid address (${excerpt(res.headers.location)})` }); }
        fetchUrl(next, options, redirects - 1).then(done);
        return;
      }
      if (status !== 200) { res.resume(); return done({ error: `${url}: HTTP ${status}` }); }
      const total = res.headers['content-length'] ? Number(res.headers['content-length']) : undefined;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (options.maxBytes !== undefined && received > options.maxBytes) { req.destroy(); return done({ error: `${url}: larger than ${options.maxBytes} bytes` }); }
        if (options.onData) options.onData(c); else chunks.push(c);
        options.onProgress?.(received, total);
      });
      res.on('end', () => {
        if (total !== undefined && received < total) return done({ error: `${url}: the download was cut short (${received} of ${total} bytes)` });
        done({ bytes: Buffer.concat(chunks) });
      });
      res.on('error', (e) => done({ error: `${url}: ${e.message}` }));
      res.on('aborted', () => done({ error: `${url}: the download was cut short` }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ error: received > 0 ? `${url}: the download did not finish within ${options.timeoutMs} ms (${received} bytes received)` : `${url}: no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    const onAbort = () => { req.destroy(); done({ error: 'cancelled' }); };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => done({ error: `${url}: ${e.message}` }));
  });
}

/** The transports git may use for ls-remote (GIT_ALLOW_PROTOCOL): never `ext::` or `fd::`, which run commands. */
const ALLOWED_GIT_PROTOCOLS = ['https', 'http', 'git', 'ssh', 'file'];
const MAX_LS_REMOTE_CHARS = 64 * 1024 * 1024;

/**
 * Why `git ls-remote` must not be given this repository, or undefined when it may. Accepted: http(s),
 * git, ssh (also git+ssh) and file URLs, scp-like `user@host:path`, and absolute local paths. Refused:
 * anything that git could read as an option (`--upload-pack=...`), a remote-helper transport
 * (`ext::sh -c ...`, `fd::`), control characters or spaces (which could smuggle lines into credential
 * helpers), and hosts or users starting with `-` (which ssh would read as options).
 */
export function gitRepositoryProblem(repository: string): string | undefined {
  if (repository === '') return 'it is empty';
  if (/[\x00-\x20\x7f]/.test(repository)) return 'it contains spaces or control characters';
  if (repository.startsWith('-')) return 'it looks like a command-line option';
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(repository)) return 'remote-helper transports (`name::address`) can run commands';
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(repository);
  if (url) {
    const scheme = url[1].toLowerCase();
    if (!['https', 'http', 'git', 'ssh', 'git+ssh', 'ssh+git', 'file'].includes(scheme)) return `the ${scheme}:// transport is not one of http(s), git, ssh or file`;
    if (scheme !== 'file' && !/^(?:[^@/]+@)?[A-Za-z0-9[]/.test(url[2])) return 'its host is missing or starts with a character ssh could read as an option';
    if (scheme !== 'file' && /^-/.test(url[2])) return 'its user starts with `-`';
    return undefined;
  }
  if (/^[A-Za-z0-9_][\w.+-]*@[A-Za-z0-9[][^:/]*:/.test(repository)) return undefined;
  if (path.isAbsolute(repository)) return undefined;
  return 'it is neither a URL (https://, git://, ssh://, file://), user@host:path, nor an absolute path';
}
