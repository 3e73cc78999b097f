/**
 * How far a task is, in percent, for the progress bar. The server reports `task.progress` for
 * pulls (parsed from tart's output); when it does not, the UI falls back to the last `NN%` in
 * the log — tart prints lines like "pulling disk (12.5 GB compressed)... 37%".
 */
import type { Task, TaskAction } from "../api/types.ts";

const PERCENT = /(\d{1,3}(?:\.\d+)?)\s?%/g;

/** The last percentage mentioned in a log line, or null. */
export function percentInLine(line: string): number | null {
  let last: number | null = null;
  for (const m of line.matchAll(PERCENT)) {
    const n = Number(m[1]);
    if (n >= 0 && n <= 100) last = n;
  }
  return last;
}

/** The most recent percentage in the logs (scanning from the end, at most `window` lines). */
export function percentInLogs(logs: readonly string[], window = 200): number | null {
  for (let i = logs.length - 1, seen = 0; i >= 0 && seen < window; i--, seen++) {
    const p = percentInLine(logs[i] ?? "");
    if (p !== null) return p;
  }
  return null;
}

const clamp = (n: number) => Math.min(100, Math.max(0, n));

/**
 * The percentage to show, or null for "indeterminate". A completed task is 100 even when the
 * last progress line said 99; a failed one keeps where it stopped.
 */
export function taskProgress(task: Pick<Task, "status" | "progress" | "logs">): number | null {
  if (task.status === "completed") return 100;
  if (typeof task.progress === "number" && Number.isFinite(task.progress)) return clamp(task.progress);
  const fromLogs = percentInLogs(task.logs ?? []);
  return fromLogs === null ? null : clamp(fromLogs);
}

/** Actions whose duration is long enough that a bar is worth showing. */
export const showsProgress = (action: TaskAction): boolean => action === "pull_vm" || action === "create_vm" || action === "clone_vm";
