// Records what a memoised computation read (options and sections of an effective configuration, files
// of the workspace) so that the next configuration of the same root can reuse the result when every one
// of those reads still gives the same answer: an edit then re-does only the work whose inputs changed
// ("early cutoff", as in rust-analyzer's salsa). It knows nothing of buildout or of rules.

export const DEP_FILE = 0;
export const DEP_RAW_SECTION = 1;
export const DEP_SECTION = 2;
export const DEP_HAS = 3;
export const DEP_RAW = 4;
export const DEP_GET = 5;
export const DEP_FILES = 6;

/** One read: its kind, its arguments, and what it returned (compared by identity or as strings). */
export interface Dependency {
  kind: number;
  a: string;
  b: string;
  value: unknown;
  flag: boolean;
}

export class Tracker {
  /** One list per computation in progress (they nest); empty when nothing is being recorded. */
  private readonly frames: (Dependency[] | null)[] = [];

  get recording(): boolean {
    const n = this.frames.length;
    return n > 0 && this.frames[n - 1] !== null;
  }

  record(kind: number, a: string, b: string, value: unknown, flag = false): void {
    const n = this.frames.length;
    if (n === 0) return;
    const frame = this.frames[n - 1];
    if (frame) frame.push({ kind, a, b, value, flag });
  }

  /** Starts recording the reads of a computation. */
  begin(): void { this.frames.push([]); }

  /** Ends it: its reads are returned, and count as reads of the enclosing computation too. */
  end(): Dependency[] {
    const deps = this.frames.pop() ?? [];
    this.replay(deps);
    return deps;
  }

  /** Reads made until `resume()` are not recorded (checking whether a memoised result still holds). */
  pause(): void { this.frames.push(null); }
  resume(): void { this.frames.pop(); }

  /** A reused result's reads count as reads of the enclosing computation. */
  replay(deps: readonly Dependency[]): void {
    const n = this.frames.length;
    if (n === 0) return;
    const frame = this.frames[n - 1];
    if (frame) for (const d of deps) frame.push(d);
  }
}
