/**
 * GET /ws/tasks/{id}?token=…[&mode=delta]: the current Task at once, then the Task after each
 * change, then a normal close (1000) right after a completed or failed Task; a client that comes
 * after the end gets the final Task and the close. The guard has checked Host, Origin and token
 * before the upgrade (http/guard.ts).
 *
 * Changes are coalesced per client: at most one message per FLUSH_MS, and none while the client's
 * send buffer is over HIGH_WATER — a slow client makes the server skip intermediate states, never
 * buffer without bound. `mode=delta` sends each message's new log lines only (`log_offset` says
 * where they start), so a 50,000-line pull does not resend its log with every line.
 */
import { Elysia, t } from "elysia";
import type { ServerWebSocket } from "bun";
import { isFinished, toDeltaWire, toWire, type Task } from "../domain/task.ts";
import type { TaskManager } from "../domain/task-manager.ts";
import { notFound } from "../domain/errors.ts";

const FLUSH_MS = 10;
const HIGH_WATER = 1 << 20;
/** Half the task's in-memory log (2,000 lines): flushed early so no line is trimmed unsent. */
const DELTA_BACKLOG_LINES = 1000;

interface Subscriber {
  task: Task;
  delta: boolean;
  sentLines: number;
  timer: Timer | null;
  unsubscribe: () => void;
  closed: boolean;
}

export class TaskStreams {
  private readonly subscribers = new Map<ServerWebSocket<unknown>, Subscriber>();

  constructor(private readonly tasks: TaskManager) {}

  routes() {
    return new Elysia({ name: "task-stream" }).ws("/ws/tasks/:id", {
      query: t.Object({ token: t.Optional(t.String()), mode: t.Optional(t.String()) }),
      idleTimeout: 60, // Bun pings an idle client before this runs out
      beforeHandle: ({ params }) => {
        if (!this.tasks.get(params.id)) throw notFound(`Task ${params.id} not found`);
      },
      open: (ws) => this.open(ws.raw as ServerWebSocket<unknown>, ws.data.params.id, ws.data.query.mode === "delta"),
      close: (ws) => this.close(ws.raw as ServerWebSocket<unknown>),
    });
  }

  /** Server shutdown: every client is told "going away" (1001). */
  closeAll(): void {
    for (const socket of [...this.subscribers.keys()]) {
      this.close(socket);
      socket.close(1001, "server shutting down");
    }
  }

  get count(): number {
    return this.subscribers.size;
  }

  private open(socket: ServerWebSocket<unknown>, id: string, delta: boolean): void {
    const task = this.tasks.get(id);
    if (!task) {
      socket.close(1008, "task not found");
      return;
    }
    const subscriber: Subscriber = { task, delta, sentLines: 0, timer: null, unsubscribe: () => {}, closed: false };
    this.subscribers.set(socket, subscriber);
    subscriber.unsubscribe = this.tasks.subscribe(id, (changed) => {
      subscriber.task = changed;
      // A delta client must get lines before the task's log ring drops them: one pipe read can
      // carry thousands of lines, far more than arrive between two timer flushes.
      const backlog = changed.logs.total - subscriber.sentLines;
      if (isFinished(changed) || (subscriber.delta && backlog >= DELTA_BACKLOG_LINES)) this.flush(socket, subscriber);
      else subscriber.timer ??= setTimeout(() => this.flush(socket, subscriber), FLUSH_MS);
    });
    this.flush(socket, subscriber);
  }

  private flush(socket: ServerWebSocket<unknown>, subscriber: Subscriber): void {
    if (subscriber.timer) clearTimeout(subscriber.timer);
    subscriber.timer = null;
    if (subscriber.closed) return;
    const finished = isFinished(subscriber.task);
    if (!finished && socket.getBufferedAmount() > HIGH_WATER) {
      subscriber.timer = setTimeout(() => this.flush(socket, subscriber), FLUSH_MS * 5);
      return;
    }
    const task = subscriber.task;
    const message = subscriber.delta ? toDeltaWire(task, subscriber.sentLines) : toWire(task);
    subscriber.sentLines = task.logs.total;
    socket.send(JSON.stringify(message));
    if (finished) {
      this.close(socket);
      socket.close(1000, "task finished");
    }
  }

  private close(socket: ServerWebSocket<unknown>): void {
    const subscriber = this.subscribers.get(socket);
    if (!subscriber) return;
    subscriber.closed = true;
    if (subscriber.timer) clearTimeout(subscriber.timer);
    subscriber.unsubscribe();
    this.subscribers.delete(socket);
  }
}
