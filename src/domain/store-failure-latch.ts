/**
 * The store-failure latch: a full disk or a read-only data dir must not take the server down, nor
 * flood its log with one warning per task update. The first failure is warned about and latches;
 * later ones are silent until a write succeeds again, which is announced and resets the latch.
 */
export class StoreFailureLatch {
  private failing = false;

  constructor(private readonly warn: (message: string) => void) {}

  /** Runs a store action; on failure warns (once) and returns `fallback`. */
  attempt<T>(action: () => T, fallback: T): T {
    try {
      const value = action();
      if (this.failing) {
        this.failing = false;
        this.warn("task history is being saved again");
      }
      return value;
    } catch (error) {
      this.fail(`cannot save task history: ${(error as Error).message}`);
      return fallback;
    }
  }

  /** Reports a failure of a write made elsewhere (a log file): warned only if not latched yet. */
  fail(message: string): void {
    if (this.failing) return;
    this.failing = true;
    this.warn(message);
  }
}
