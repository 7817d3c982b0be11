// Digests (md5, sha256, sha512) of local files that profiles download, memoised per file stamp so a
// check over many roots hashes each template or patch once. An open editor buffer counts as the file's
// content, since that is what the user is about to save. It never reads the network and never throws.

import * as crypto from 'crypto';
import type { Workspace } from './workspace';
import { canonical } from './workspace';

export type HashAlgorithm = 'md5' | 'sha256' | 'sha512';

export type DigestResult = { hex: string } | { error: string; kind: 'missing' | 'directory' | 'unreadable' | 'too-large' };

export class FileDigests {
  /** By algorithm, then file: three rules ask for every download on every check, so no key string is built per lookup. */
  private readonly cache = new Map<HashAlgorithm, Map<string, { stamp: number; result: DigestResult }>>();

  constructor(private readonly ws: Workspace) {}

  /**
   * The hex digest of a local file's current content, or why it cannot be computed. `fresh` reads the
   * file again even if its stamp did not move (a fix must hash what is on disk now).
   */
  digest(file: string, algorithm: HashAlgorithm = 'md5', options: { fresh?: boolean } = {}): DigestResult {
    file = canonical(file);
    const stamp = this.ws.stampOf(file);
    this.ws.noteBytesRead(file, stamp);
    let byFile = this.cache.get(algorithm);
    if (!byFile) this.cache.set(algorithm, (byFile = new Map()));
    const hit = byFile.get(file);
    if (hit && hit.stamp === stamp && !options.fresh) return hit.result;
    const result = this.compute(file, algorithm);
    byFile.set(file, { stamp, result });
    return result;
  }

  private compute(file: string, algorithm: HashAlgorithm): DigestResult {
    const overlay = this.ws.overlayText(file);
    if (overlay !== undefined) return { hex: digestOf(Buffer.from(overlay, 'utf8'), algorithm) };
    const bytes = this.ws.host.readFile(file);
    if (!(bytes instanceof Uint8Array)) return { error: bytes.error, kind: bytes.kind };
    return { hex: digestOf(bytes, algorithm) };
  }
}

export function digestOf(bytes: Uint8Array, algorithm: HashAlgorithm): string {
  return crypto.createHash(algorithm).update(bytes).digest('hex');
}
