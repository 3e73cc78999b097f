/**
 * Task events from the task manager: `task.created` with the whole Task, then `task.updated` as
 * deltas (the fields, and only the log lines since the last event of that task, `log_offset`
 * saying where they start, as the task websocket's `mode=delta`), at most one per task every
 * `flushMs`, and `task.finished` with the final fields and the last lines. A reader who applies
 * them in order holds every task exactly as the API would answer it.
 */
import { isFinished, toDeltaWire, toWire, type Task } from "../domain/task.ts";
import type { EventLog } from "./event-log.ts";

export interface TaskSource {
  onAnyChange(listener: (task: Task) => void): () => void;
}

interface Pending {
  task: Task;
  sentLines: number;
  timer: Timer | null;
}

export class TaskFeed {
  private readonly tasks = new Map<string, Pending>();
  private readonly unsubscribe: () => void;

  constructor(
    source: TaskSource,
    private readonly log: EventLog,
    private readonly flushMs = 100,
  ) {
    this.unsubscribe = source.onAnyChange((task) => this.changed(task));
  }

  stop(): void {
    this.unsubscribe();
    for (const pending of this.tasks.values()) if (pending.timer) clearTimeout(pending.timer);
    this.tasks.clear();
  }

  private changed(task: Task): void {
    let pending = this.tasks.get(task.id);
    if (!pending) {
      pending = { task, sentLines: task.logs.total, timer: null };
      this.tasks.set(task.id, pending);
      this.log.publish("task.created", toWire(task));
      if (isFinished(task)) this.flush(pending);
      return;
    }
    pending.task = task;
    if (isFinished(task)) this.flush(pending);
    else pending.timer ??= setTimeout(() => this.flush(pending), this.flushMs);
  }

  private flush(pending: Pending): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = null;
    const { task } = pending;
    const finished = isFinished(task);
    this.log.publish(finished ? "task.finished" : "task.updated", toDeltaWire(task, pending.sentLines));
    pending.sentLines = task.logs.total;
    if (finished) this.tasks.delete(task.id);
  }
}
