// When to re-check after typing. A keystroke after a pause is checked at once (the leading edge), so an
// isolated edit is answered in the few milliseconds a check takes (model/ reuses everything an edit did
// not touch). Keystrokes that follow it closer together than `delayMs` are a burst: they are checked once,
// `delayMs` after the last (the trailing edge), and that check publishes only what changed since the
// first one's (see Session.flush), so a burst of typing publishes once unless its findings change.
// Everything else (a document opened, files changed on disk, settings) is checked as soon as the messages
// already queued are handled. Knows nothing of buildout or of the protocol.

export interface DebounceOptions {
  /** Edits closer together than this are a burst; its check runs this long after its last edit. */
  delayMs: number;
}

/**
 * 30 ms: longer than the 20 ms between the keystrokes of a fast burst (with room for timers that fire
 * late on a loaded machine), short enough to be imperceptible.
 */
export const DEFAULT_DEBOUNCE: DebounceOptions = { delayMs: 30 };

/** Why a check runs: the first edit after a pause, the end of a burst, or anything else. */
export type CheckReason = 'edit' | 'burst' | 'other';

export class EditDebouncer {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private lastEdit = -Infinity;

  constructor(private readonly fire: (reason: CheckReason) => void, private readonly options: DebounceOptions = DEFAULT_DEBOUNCE) {}

  /** The user edited a buffer: check now after a pause, else once the burst pauses. */
  poke(): void {
    const now = performance.now();
    const pause = now - this.lastEdit >= this.options.delayMs && !this.timer;
    this.lastEdit = now;
    this.cancel();
    // Changes sent together arrive in the same turns: the next one cancels this check and makes a burst.
    if (pause) this.afterQueuedMessages(2, 'edit');
    else this.timer = setTimeout(() => { this.timer = undefined; this.fire('burst'); }, this.options.delayMs);
  }

  /** Checks as soon as the messages already received are handled (unless edits are still coming). */
  soon(): void {
    if (this.timer || this.immediate) return;
    this.afterQueuedMessages(2, 'other');
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
  }

  /**
   * vscode-jsonrpc handles one queued message per event-loop turn; two turns of setImmediate let the
   * next queued message arrive (and poke or ask again) before the check starts.
   */
  private afterQueuedMessages(hops: number, reason: CheckReason): void {
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      if (hops > 1) this.afterQueuedMessages(hops - 1, reason);
      else this.fire(reason);
    });
  }
}
