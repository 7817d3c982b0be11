// When to re-check after edits. The first edit after a quiet spell is checked at once (after the messages
// already waiting in the connection's queue, so a batch of changes sent together is checked once); edits
// that follow closely are coalesced and checked `burstDelayMs` after the last of them. A burst of typing
// therefore publishes twice at most: its first version at once and its final version once it stops.
// Knows nothing of buildout or of the protocol.

export interface DebounceOptions {
  /** An edit this long after the previous one counts as the first of a new burst. */
  quietMs: number;
  /** Within a burst, how long after the last edit the check runs. */
  burstDelayMs: number;
  now?: () => number;
}

export const DEFAULT_DEBOUNCE: DebounceOptions = { quietMs: 50, burstDelayMs: 50 };

export class EditDebouncer {
  private lastPokeAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly now: () => number;

  constructor(private readonly fire: () => void, private readonly options: DebounceOptions = DEFAULT_DEBOUNCE) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Something changed (a buffer, a file on disk, the settings): schedule a check. */
  poke(): void {
    const now = this.now();
    const quiet = now - this.lastPokeAt >= this.options.quietMs;
    this.lastPokeAt = now;
    this.cancel();
    if (quiet) this.afterQueuedMessages(2);
    else this.timer = setTimeout(() => { this.timer = undefined; this.fire(); }, this.options.burstDelayMs);
  }

  /** Checks as soon as the messages already received are handled, without counting as an edit. */
  soon(): void {
    if (this.timer || this.immediate) return;
    this.afterQueuedMessages(2);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
  }

  /**
   * vscode-jsonrpc handles one queued message per event-loop turn; two turns of setImmediate let the
   * next queued change arrive (and poke again, which cancels this) before the check starts.
   */
  private afterQueuedMessages(hops: number): void {
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      if (hops > 1) this.afterQueuedMessages(hops - 1);
      else this.fire();
    });
  }
}
