// The Host backed by Node: fs for files, http(s) with timeouts, cancellation and a size cap for
// downloads, and the git executable for ls-remote (spawned without a shell; only on request).

import * as fs from 'fs';
import * as path from 'path';
import * as http from 'http';
import * as https from 'https';
import { spawn } from 'child_process';
import { FetchOptions, FetchResult, FileError, GitRef, Host } from './host';

const MAX_PROFILE_BYTES = 64 * 1024 * 1024;

export class NodeHost implements Host {
  readFile(file: string): Uint8Array | FileError {
    // A missing file is common (a develop egg's setup.py, a marker file above the profile): statting
    // without throwing keeps that path free of exception objects, which cost more than the read itself.
    let st: fs.Stats | undefined;
    try {
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

  readDir(dir: string): { name: string; isDirectory: boolean }[] | FileError {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
        let isDirectory = e.isDirectory();
        if (e.isSymbolicLink()) { try { isDirectory = fs.statSync(path.join(dir, e.name)).isDirectory(); } catch { isDirectory = false; } }
        return { name: e.name, isDirectory };
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
    if (!/^(https?|git|ssh|file):\/\//.test(repository) && !/^[\w.-]+@[\w.-]+:/.test(repository) && !path.isAbsolute(repository)) {
      return Promise.resolve({ error: `${repository} is not a git URL this tool will contact` });
    }
    return new Promise((resolve) => {
      const child = spawn('git', ['ls-remote', '--', repository], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', SSH_ASKPASS: 'true' },
      });
      let out = '', err = '';
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve({ error: `git ls-remote ${repository} timed out after ${options.timeoutMs} ms` }); }, options.timeoutMs);
      const abort = () => { child.kill('SIGKILL'); resolve({ error: 'cancelled' }); };
      options.signal?.addEventListener('abort', abort, { once: true });
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('error', (e) => { clearTimeout(timer); resolve({ error: `git could not run: ${e.message}` }); });
      child.on('close', (code) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        if (code !== 0) return resolve({ error: `git ls-remote ${repository} failed: ${err.trim() || 'exit ' + code}` });
        resolve(out.split('\n').filter(Boolean).map((l) => { const [sha, name] = l.split('\t'); return { sha, name }; }));
      });
    });
  }

  writeFileAtomic(file: string, text: string): { error: string } | undefined {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    try {
      let mode: number | undefined;
      try { mode = fs.statSync(file).mode; } catch { /* new file */ }
      const fd = fs.openSync(tmp, 'w', mode ?? 0o644);
      try { fs.writeFileSync(fd, text); fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
      fs.renameSync(tmp, file);
      return undefined;
    } catch (e) {
      try { fs.unlinkSync(tmp); } catch { /* nothing to clean */ }
      return { error: `cannot write ${file}: ${(e as Error).message}` };
    }
  }
}

function fetchUrl(url: string, options: FetchOptions, redirects: number): Promise<FetchResult> {
  return new Promise((resolve) => {
    let parsed: URL;
    try { parsed = new URL(url); } catch { return resolve({ error: `${url} is not a valid URL` }); }
    const lib = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!lib) return resolve({ error: `${url}: only http and https downloads are supported` });
    if (options.signal?.aborted) return resolve({ error: 'cancelled' });
    let settled = false;
    const done = (r: FetchResult) => { if (!settled) { settled = true; clearTimeout(timer); options.signal?.removeEventListener('abort', onAbort); resolve(r); } };
    const req = lib.get(parsed, { headers: { 'user-agent': 'buildout-freeze' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) return done({ error: `${url}: too many redirects` });
        const next = new URL(res.headers.location, parsed).href;
        fetchUrl(next, options, redirects - 1).then(done);
        return;
      }
      if (status !== 200) { res.resume(); return done({ error: `${url}: HTTP ${status}` }); }
      const total = res.headers['content-length'] ? Number(res.headers['content-length']) : undefined;
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (options.maxBytes !== undefined && received > options.maxBytes) { req.destroy(); return done({ error: `${url}: larger than ${options.maxBytes} bytes` }); }
        chunks.push(c);
        options.onProgress?.(received, total);
      });
      res.on('end', () => {
        if (total !== undefined && received < total) return done({ error: `${url}: the download was cut short (${received} of ${total} bytes)` });
        done({ bytes: Buffer.concat(chunks) });
      });
      res.on('error', (e) => done({ error: `${url}: ${e.message}` }));
      res.on('aborted', () => done({ error: `${url}: the download was cut short` }));
    });
    const timer = setTimeout(() => { req.destroy(); done({ error: `${url}: no answer within ${options.timeoutMs} ms` }); }, options.timeoutMs);
    const onAbort = () => { req.destroy(); done({ error: 'cancelled' }); };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => done({ error: `${url}: ${e.message}` }));
  });
}
