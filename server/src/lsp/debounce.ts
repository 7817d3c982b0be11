// When to re-check. Typing is checked `delayMs` after the last edit (a trailing debounce): a burst of
// keystrokes closer together than that publishes once, for its final version. The delay is short
// because a check after an edit takes a few milliseconds (model/ reuses everything an edit did not
// touch), so it only has to outlast the gap between keystrokes. Everything else (a document opened, files
// changed on disk, settings) is checked as soon as the messages already queued are handled.
// Knows nothing of buildout or of the protocol.

export interface DebounceOptions {
  /** How long after the last edit the check runs. */
  delayMs: number;
}

/**
 * 30 ms: longer than the 20 ms between the keystrokes of a fast burst (with room for timers that fire
 * late on a loaded machine), short enough to be imperceptible.
 */
export const DEFAULT_DEBOUNCE: DebounceOptions = { delayMs: 30 };

export class EditDebouncer {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(private readonly fire: () => void, private readonly options: DebounceOptions = DEFAULT_DEBOUNCE) {}

  /** The user edited a buffer: check once the edits pause. */
  poke(): void {
    this.cancel();
    this.timer = setTimeout(() => { this.timer = undefined; this.fire(); }, this.options.delayMs);
  }

  /** Checks as soon as the messages already received are handled (unless edits are still coming). */
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
   * next queued message arrive (and poke or ask again) before the check starts.
   */
  private afterQueuedMessages(hops: number): void {
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      if (hops > 1) this.afterQueuedMessages(hops - 1);
      else this.fire();
    });
  }
}
