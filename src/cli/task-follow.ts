/**
 * Follows a task to its end over the task websocket (`/ws/tasks/{id}?mode=delta`, so a long log
 * is not resent with every message): each new log line goes to stderr, and on a terminal a
 * progress bar is redrawn under them. A socket that drops before the end (the server stopping)
 * is answered by one look at the task over HTTP: finished, it is the answer; otherwise the server
 * is gone (ServerNotRunning).
 */
import { isFinished, type TaskWire } from "../domain/task.ts";
import type { Output } from "./output.ts";
import { progressLine } from "./progress-bar.ts";
import { ServerNotRunning } from "./exit-codes.ts";
import type { ServerConnection } from "./server-connection.ts";

export interface FollowOptions {
  /** Print log lines from this index of the whole log on (lines before it were shown already). */
  fromLine: number;
  /** Write log lines and progress at all (false for `--json`). */
  showLogs: boolean;
  /** Where the lines go: stderr (a task command's by-product) unless told; `logs -f` prints them on stdout. */
  write?: (text: string) => void;
}

export async function followTask(connection: ServerConnection, id: string, out: Output, options: FollowOptions): Promise<TaskWire> {
  const view = new FollowView(out, options);
  const last = await new Promise<TaskWire | null>((resolve) => {
    let latest: TaskWire | null = null;
    const socket = new WebSocket(connection.socketUrl(`/ws/tasks/${encodeURIComponent(id)}`, "&mode=delta"));
    socket.onmessage = (event) => {
      latest = JSON.parse(String(event.data)) as TaskWire;
      view.show(latest);
    };
    socket.onclose = () => resolve(latest);
  });
  view.end();
  if (last && isFinished(last)) return last;
  try {
    const task = await connection.json<TaskWire>("GET", `/api/tasks/${encodeURIComponent(id)}`);
    if (isFinished(task)) return task;
  } catch (error) {
    if (!(error instanceof ServerNotRunning)) throw error;
  }
  throw new ServerNotRunning(`the server stopped while task ${id} was running (a restart marks it failed; \`taartenfabriek retry ${id}\` runs it again)`);
}

/** The lines and the bar on stderr; the bar only on a terminal, always on the last line. */
class FollowView {
  private printed: number;
  private bar: string | null = null;
  private readonly write: (text: string) => void;

  constructor(
    private readonly out: Output,
    private readonly options: FollowOptions,
  ) {
    this.printed = options.fromLine;
    this.write = options.write ?? ((text) => out.note(text));
  }

  show(task: TaskWire): void {
    if (!this.options.showLogs) return;
    const offset = task.log_offset ?? 0;
    const fresh = task.logs.slice(Math.max(0, this.printed - offset));
    this.printed = Math.max(this.printed, offset + task.logs.length);
    const bar = this.out.interactive && !this.options.write ? progressLine(task) : null;
    if (!fresh.length && bar === this.bar) return;
    let text = this.bar !== null ? "\r\x1b[2K" : ""; // wipe the old bar before lines go above it
    for (const line of fresh) text += `${line}\n`;
    if (bar !== null) text += bar;
    this.bar = bar;
    if (text) this.write(text);
  }

  end(): void {
    if (this.bar !== null) this.write("\n");
    this.bar = null;
  }
}
