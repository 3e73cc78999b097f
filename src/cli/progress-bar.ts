/**
 * One line that says how far a task is: `[#########---------]  42%  10.2/24.3 GB  61 MB/s  4m left`
 * from a pull's `pull_progress`, or the task's `progress` alone. Pure, so it is tested without
 * a terminal; task-follow.ts redraws it in place on a TTY only.
 */
import type { TaskWire } from "../domain/task.ts";

const WIDTH = 24;

export function progressLine(task: Pick<TaskWire, "progress" | "pull_progress">): string | null {
  const pull = task.pull_progress;
  const percent = pull?.percent ?? task.progress;
  if (pull?.phase === "retrying") return `retrying (attempt ${pull.attempt + 1})…`;
  if (percent === null || percent === undefined) return pull ? `${pull.phase}…` : null;
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * WIDTH);
  const parts = [`[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`, `${String(Math.floor(percent)).padStart(3)}%`];
  if (pull?.bytes_total) parts.push(`${gb(pull.bytes_done ?? 0)}/${gb(pull.bytes_total)} GB`);
  if (pull?.bytes_per_second) parts.push(`${Math.round(pull.bytes_per_second / 1e6)} MB/s`);
  if (pull?.eta_seconds !== null && pull?.eta_seconds !== undefined) parts.push(`${duration(pull.eta_seconds)} left`);
  return parts.join("  ");
}

const gb = (bytes: number) => (bytes / 1e9).toFixed(1);

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, "0")}m`;
}
