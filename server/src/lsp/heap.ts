// V8 heap settings of the long-running language server. Set before the server's bundle is compiled
// (server/src/boot/server-entry.ts): V8's code cache records the flags it was made under and is refused
// by a process whose flags differ, so they must be the same when the cache is made and when it is used.

import * as v8 from 'v8';

/**
 * A long-running server keeps V8's heap close to what it holds. The young generation stays at its initial
 * size instead of growing to 16 MiB semispaces under the allocation bursts of a first check or of the
 * workspace scan (some 25 MiB less resident memory, for slightly more frequent cheap scavenges). And the
 * old generation may grow by a quarter past what the last full collection kept, instead of up to four
 * times: what an edit builds (the file's new parse, its configuration, the results) lives until the next
 * edit, so it is promoted and then dropped, and with V8's own factor a hundred edits of stack/slapos.cfg
 * took the server from 75 to 120 MiB before a full collection ran. Both flags are read each time a
 * generation would grow; setting them again with the same values changes nothing.
 */
export function keepHeapSmall(): void {
  try {
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    v8.setFlagsFromString('--heap-growing-percent=25');
  } catch { /* an engine without the flags: nothing to do */ }
}
