// The fix of missing-md5sum and md5sum-mismatch: computes the md5sum of the file (a local file as the
// workspace sees it, or a remote URL downloaded through the host, only when the network is allowed,
// with the context's timeout, cancellation and progress) and writes it where the finding's data says it
// belongs: over the stale value, as a new `md5sum = ` line, or as a `#md5` fragment. It writes no file.

import { Fix, FixContext, FixResult } from '../core/fix';
import { Finding } from '../core/finding';
import { Md5FindingData } from '../model/downloads';
import { digestOf } from '../workspace/file-digests';

/** Downloads larger than this are refused: the host keeps a download in memory to hash it. */
export const MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024;

function dataOf(finding: Finding): Md5FindingData | undefined {
  const d = finding.data as Md5FindingData | undefined;
  return d && (typeof d.path === 'string' || typeof d.url === 'string') ? d : undefined;
}

function isRemote(finding: Finding): boolean {
  const d = dataOf(finding);
  return !!d && d.path === undefined && d.url !== undefined;
}

async function computeMd5Edit(finding: Finding, ctx: FixContext, title: string): Promise<FixResult> {
  const data = dataOf(finding);
  if (!data) return { error: 'This finding does not say which file to hash; check the profile again.' };
  const edit = data.edit;
  if (!edit) return { error: `No place to write the md5sum of [${data.part}] was found: it is computed through \${} references this fix cannot follow. Write it by hand.` };
  const text = ctx.ws.readText(edit.file);
  if (!('text' in text)) return { error: `Cannot read ${edit.file}: ${text.error}` };
  if (text.text.slice(edit.start, edit.end) !== edit.current) return { error: `${edit.file} changed since it was checked; check it again before fixing.` };

  let hex: string;
  if (data.path !== undefined) {
    const digest = ctx.ws.digests.digest(data.path, 'md5', { fresh: true });
    if ('error' in digest) return { error: `Cannot compute the md5sum of ${data.path}: ${digest.error}` };
    hex = digest.hex;
  } else {
    const url = data.url!;
    if (!ctx.allowNetwork) return { error: `The md5sum of ${url} can only be computed by downloading it, and network access is turned off (untrusted workspace or the allowNetwork setting).` };
    if (ctx.signal?.aborted) return { error: 'cancelled' };
    ctx.progress?.(`Downloading ${url}`);
    const result = await ctx.ws.host.fetch(url, {
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      maxBytes: MAX_DOWNLOAD_BYTES,
      onProgress: progressReporter(url, ctx.progress),
    });
    if ('error' in result) return { error: result.error === 'cancelled' ? 'cancelled' : `Cannot download ${url} to compute its md5sum: ${result.error}` };
    hex = digestOf(result.bytes, 'md5');
  }
  if (edit.current === hex) return { error: `The md5sum is already ${hex}.` };
  return { title: `${title}: ${hex}`, edits: [{ file: edit.file, start: edit.start, end: edit.end, newText: edit.prefix + hex + edit.suffix }] };
}

/** Turns byte counts into at most about one message per 5% (or per 8 MiB when the size is unknown). */
function progressReporter(url: string, progress: FixContext['progress']): ((received: number, total: number | undefined) => void) | undefined {
  if (!progress) return undefined;
  let lastStep = -1;
  return (received, total) => {
    const step = total ? Math.floor((received / total) * 20) : Math.floor(received / (8 * 1024 * 1024));
    if (step === lastStep) return;
    lastStep = step;
    progress(total ? `Downloading ${url}: ${mib(received)} of ${mib(total)}` : `Downloading ${url}: ${mib(received)}`);
  };
}

function mib(bytes: number): string { return `${(bytes / 1024 / 1024).toFixed(1)} MiB`; }

export const missingMd5sumFix: Fix = {
  code: 'missing-md5sum',
  title: (f) => (isRemote(f) ? 'Download the file and add its md5sum' : 'Add the md5sum of the file'),
  online: isRemote,
  compute: (f, ctx) => computeMd5Edit(f, ctx, 'Add md5sum'),
};

export const md5sumMismatchFix: Fix = {
  code: 'md5sum-mismatch',
  title: () => 'Replace with the md5sum of the file',
  online: isRemote,
  compute: (f, ctx) => computeMd5Edit(f, ctx, 'Replace md5sum'),
};
