// Finds the root profiles under a folder: files matching the root patterns (SlapOS: `software*.cfg`),
// or, when none match, every `*.cfg` profile that no other profile of the folder extends. Fragments
// such as `component/foo/buildout.cfg` are then judged in the context of the roots that reach them.

import * as path from 'path';
import picomatch from 'picomatch';
import { Host } from '../host/host';
import { parseProfile } from '../syntax/parse-profile';
import { resolveExtendsName } from '../model/load-profile';
import { decodeProfile } from './decode';
import { looksLikeProfile } from '../syntax/looks-like-profile';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '__pycache__', 'eggs', 'develop-eggs', 'parts', '.e2e']);
const MAX_FILES = 200000;

export function listFiles(host: Host, folder: string, accept: (rel: string) => boolean): string[] {
  const out: string[] = [];
  // Directories are known by their real path when reached through a symbolic link: with two links
  // to `.` in one folder, walking by path alone visited 2^64 folders.
  const seen = new Set<string>();
  const walk = (dir: string, identity: string, depth: number) => {
    if (depth > 64 || out.length > MAX_FILES || seen.has(identity)) return;
    seen.add(identity);
    const entries = host.readDir(dir);
    if (!Array.isArray(entries)) return;
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory) { if (!SKIP_DIRS.has(e.name)) walk(p, e.realPath ?? path.join(identity, e.name), depth + 1); }
      else if (accept(path.relative(folder, p))) out.push(p);
    }
  };
  const top = path.resolve(folder);
  walk(top, top, 0);
  return out;
}

/**
 * The folders that may hold the project of `file`, where its root profiles are looked for, nearest first:
 * the nearest folder above it with a `.git` or a `.buildout-freeze.json` marker; else the working
 * directory when it holds the file; else the file's folder and up to three folders above it (a SlapOS
 * tree keeps its fragments two levels below the roots' folder: component/foo/, software/bar/).
 */
export function projectFolderCandidates(host: Host, file: string, cwd: string): string[] {
  const start = path.dirname(path.resolve(file));
  const ancestors: string[] = [];
  for (let d = start; ancestors.length < 64; d = path.dirname(d)) {
    ancestors.push(d);
    if (host.exists(path.join(d, '.git')) || host.exists(path.join(d, '.buildout-freeze.json'))) return [d];
    if (path.dirname(d) === d) break;
  }
  const rel = path.relative(path.resolve(cwd), start);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return [path.resolve(cwd)];
  return ancestors.slice(0, 4).filter((d) => path.dirname(d) !== d);
}

export function discoverRoots(host: Host, folder: string, patterns: readonly string[] = ['**/software*.cfg']): string[] {
  const isRoot = picomatch(patterns as string[], { dot: false, basename: false });
  const matched = listFiles(host, folder, (rel) => isRoot(rel) || isRoot(path.basename(rel)));
  if (matched.length) return matched;
  const cfgs = listFiles(host, folder, (rel) => rel.endsWith('.cfg') && path.basename(rel) !== 'buildout.hash.cfg');
  const extended = new Set<string>();
  const templates = new Set<string>();
  for (const file of cfgs) {
    const bytes = host.readFile(file);
    if (!(bytes instanceof Uint8Array)) continue;
    const decoded = decodeProfile(bytes);
    if (!('text' in decoded)) continue;
    // A `.cfg` that is really a template (jinja, nginx, ...) is no root: never report buildout syntax on it.
    if (!looksLikeProfile(decoded.text)) { templates.add(path.resolve(file)); continue; }
    const syntax = parseProfile(decoded.text);
    for (const s of syntax.sections) {
      if (s.name !== 'buildout') continue;
      for (const o of s.options) if (o.name === 'extends') for (const name of o.value.split(/\s+/).filter(Boolean)) extended.add(path.resolve(resolveExtendsName(file, name)));
    }
  }
  return cfgs.filter((f) => !extended.has(path.resolve(f)) && !templates.has(path.resolve(f)));
}
