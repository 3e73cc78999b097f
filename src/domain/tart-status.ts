/**
 * Whether tart is usable, and which one: found at start-up (and printed), re-checked when asked
 * after a few seconds so that installing or removing Tart while the server runs is noticed.
 */
import { AppError, TART_INSTALL_HINT } from "./errors.ts";
import type { TartPort } from "./ports.ts";

export interface TartStatus {
  available: boolean;
  path: string | null;
  version: string | null;
  error: string | null;
  /** True until the first check has finished (then `available`/`error` are meaningful). */
  checking: boolean;
}

const FRESH_MS = 30_000;

export class TartStatusProbe {
  private last: TartStatus = { available: false, path: null, version: null, error: null, checking: true };
  private checkedAt = -Infinity;
  private inFlight: Promise<TartStatus> | null = null;
  private readonly listeners = new Set<(status: TartStatus) => void>();

  constructor(
    private readonly tart: TartPort,
    private readonly where: string,
  ) {}

  /** The last known status, without waiting; starts a new check in the background when stale. */
  cached(): TartStatus {
    void this.check().catch(() => {});
    return this.last;
  }

  /** Told after every check that changed what the status says. */
  onChange(listener: (status: TartStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async check(force = false): Promise<TartStatus> {
    const path = this.tart.path;
    if (!force && path === this.last.path && performance.now() - this.checkedAt < FRESH_MS) return this.last;
    this.inFlight ??= this.probe().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async probe(): Promise<TartStatus> {
    const before = JSON.stringify(this.last);
    const path = this.tart.path;
    if (!path) {
      this.last = { available: false, path: null, version: null, error: `tart was not found in ${this.where}. ${TART_INSTALL_HINT}`, checking: false };
    } else {
      try {
        this.last = { available: true, path, version: await this.tart.version(), error: null, checking: false };
      } catch (error) {
        const detail = error instanceof AppError ? error.detail : String(error);
        this.last = { available: false, path, version: null, error: `tart at ${path} does not work: ${detail}`, checking: false };
      }
    }
    this.checkedAt = performance.now();
    if (JSON.stringify(this.last) !== before) for (const listener of this.listeners) listener(this.last);
    return this.last;
  }
}
