/**
 * A pull's progress, read from the lines tart prints while it pulls (docs/API.md "Pull progress"):
 * `tart pull` and a `tart clone` of an uncached OCI image print the same lines (clone without the
 * first `pulling <ref>...`). Pure: lines and the time they arrived go in, the wire object comes
 * out; the task manager feeds it, the retry loop marks its waits.
 *
 * What tart prints (ProgressObserver, VMStorageOCI, VMDirectory+OCI):
 *   pulling ghcr.io/cirruslabs/macos-sequoia-base:latest...
 *   pulling manifest...
 *   waiting for lock...                                   (another pull from this host runs)
 *   found an image … that will allow us to avoid fetching …, will try use it...
 *   pulling disk (24.3 GB compressed)...                  ("%.1f" of bytes / 1e9)
 *   0%  1%  …  100%                                       (≥ 1 s apart; ESC[1A CR ESC[J before
 *                                                          each but the first unless $CI is set)
 *   pulling NVRAM...
 * or, when nothing needs fetching, `<host/ns@sha256:…> image is already cached[ and linked]!…`.
 */
import { cleanLine, progressOf } from "./text.ts";

export type PullPhase = "lock" | "manifest" | "disk" | "nvram" | "dedupe" | "cached" | "retrying" | "done";

/** The Task's `pull_progress` (docs/API.md). */
export interface PullProgress {
  phase: PullPhase;
  percent: number | null;
  bytes_total: number | null;
  bytes_done: number | null;
  bytes_per_second: number | null;
  eta_seconds: number | null;
  attempt: number;
  retry_at: number | null;
}

/** What one line of tart's output says about a pull; null when it says nothing. */
export type PullLine =
  | { kind: "start" }
  | { kind: "phase"; phase: "lock" | "manifest" | "nvram" | "dedupe" | "cached" }
  | { kind: "disk"; bytesTotal: number }
  | { kind: "percent"; percent: number };

const DISK = /^pulling disk \((\d+(?:\.\d+)?) GB compressed\)\.\.\.$/;
const PHASES: [RegExp, "lock" | "manifest" | "nvram" | "dedupe" | "cached"][] = [
  [/^waiting for lock\.\.\.$/, "lock"],
  [/^pulling manifest\.\.\.$/, "manifest"],
  [/^pulling NVRAM\.\.\.$/, "nvram"],
  [/^found an image .+ that will allow us to avoid fetching .+$/, "dedupe"],
  [/^\S+ image is already cached\b/, "cached"],
];
// `pulling <ref>...`: checked after the fixed `pulling manifest/disk/NVRAM` lines.
const START = /^pulling \S+\.\.\.$/;

/** GB in tart's "pulling disk (N GB compressed)" is decimal: Double(bytes) / 1_000_000_000. */
const GB = 1e9;

export function parsePullLine(raw: string): PullLine | null {
  const line = cleanLine(raw).trim();
  const percent = progressOf(line);
  if (percent !== null) return { kind: "percent", percent };
  const disk = DISK.exec(line);
  if (disk) return { kind: "disk", bytesTotal: Math.round(Number(disk[1]) * GB) };
  for (const [pattern, phase] of PHASES) if (pattern.test(line)) return { kind: "phase", phase };
  if (START.test(line)) return { kind: "start" };
  return null;
}

/** The rate is measured over this much of the recent past: long enough to smooth tart's 1 % steps. */
export const RATE_WINDOW_MS = 10_000;

interface Sample {
  atMs: number;
  bytes: number;
}

/**
 * One task's pull progress across its attempts. `state` is null until tart prints its first pull
 * line (a clone of a local VM or of a cached image never does), and a new object after each
 * change, so a snapshot handed out is never altered afterwards.
 */
export class PullProgressTracker {
  private current: PullProgress | null = null;
  private samples: Sample[] = [];
  private attempt = 1;

  get state(): PullProgress | null {
    return this.current;
  }

  /** Feeds one stdout line; true when the state changed. */
  line(raw: string, nowMs: number): boolean {
    const parsed = parsePullLine(raw);
    if (!parsed) return false;
    // A percent line before any pull line is some other command's progress, not a pull's.
    if (parsed.kind === "percent" && !this.current) return false;
    const base = this.current ?? this.fresh();
    switch (parsed.kind) {
      case "start":
        return this.set({ ...base, phase: "manifest", retry_at: null });
      case "phase":
        return this.set({ ...base, phase: parsed.phase, retry_at: null });
      case "disk":
        this.samples = [];
        return this.set({ ...base, phase: "disk", bytes_total: parsed.bytesTotal, percent: null, bytes_done: null, bytes_per_second: null, eta_seconds: null });
      case "percent":
        return this.set(this.withPercent({ ...base, phase: "disk" }, parsed.percent, nowMs));
    }
  }

  /** The attempt failed and the next one starts at `retryAtSeconds` (epoch seconds). */
  retrying(nextAttempt: number, retryAtSeconds: number): boolean {
    this.attempt = nextAttempt;
    this.samples = [];
    // tart starts the download again from 0 %: the old figures would only mislead.
    return this.set({ ...(this.current ?? this.fresh()), phase: "retrying", attempt: nextAttempt, retry_at: retryAtSeconds, percent: null, bytes_done: null, bytes_per_second: null, eta_seconds: null });
  }

  /** Attempt `attempt` starts now; tart's first step is the manifest. */
  restart(attempt: number): boolean {
    this.attempt = attempt;
    return this.current ? this.set({ ...this.current, phase: "manifest", attempt, retry_at: null }) : false;
  }

  /** The command succeeded. "cached" stays: nothing was downloaded, and that is worth showing. */
  done(): boolean {
    const state = this.current;
    if (!state || state.phase === "done" || state.phase === "cached") return false;
    const finished = state.bytes_total !== null;
    return this.set({
      ...state,
      phase: "done",
      retry_at: null,
      percent: finished ? 100 : state.percent,
      bytes_done: finished ? state.bytes_total : state.bytes_done,
      eta_seconds: finished ? 0 : state.eta_seconds,
    });
  }

  private fresh(): PullProgress {
    return { phase: "manifest", percent: null, bytes_total: null, bytes_done: null, bytes_per_second: null, eta_seconds: null, attempt: this.attempt, retry_at: null };
  }

  private withPercent(state: PullProgress, percent: number, nowMs: number): PullProgress {
    if (state.bytes_total === null) return { ...state, percent };
    const bytesDone = Math.round((percent / 100) * state.bytes_total);
    this.samples.push({ atMs: nowMs, bytes: bytesDone });
    // Keep the window, but never fewer than two samples: one line every ≥ 1 s still yields a rate.
    while (this.samples.length > 2 && nowMs - this.samples[0]!.atMs > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const elapsedMs = nowMs - first.atMs;
    const rate = this.samples.length >= 2 && elapsedMs > 0 ? Math.round(((bytesDone - first.bytes) * 1000) / elapsedMs) : null;
    const remaining = state.bytes_total - bytesDone;
    const eta = rate && rate > 0 ? Math.ceil(remaining / rate) : remaining === 0 ? 0 : null;
    return { ...state, percent, bytes_done: bytesDone, bytes_per_second: rate, eta_seconds: eta };
  }

  private set(next: PullProgress): boolean {
    const before = this.current;
    if (before && (Object.keys(next) as (keyof PullProgress)[]).every((key) => before[key] === next[key])) return false;
    this.current = next;
    return true;
  }
}
