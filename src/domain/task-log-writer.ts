/**
 * The task log writer: every task's full log goes to `<logDir>/<id>.log` (the in-memory ring
 * keeps only the tail). Lines are buffered and appended at most every 100 ms, so a pull printing
 * thousands of progress lines costs a few writes, not one per line; `flush` writes at once (a
 * task's end, a client asking for the log file, shutdown).
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";

const FLUSH_MS = 100;

export class TaskLogWriter {
  private readonly pending = new Map<string, string[]>();
  private timer: Timer | null = null;

  constructor(
    private readonly dir: string,
    /** A write failed (full disk, read-only dir): the task goes on without its file. */
    private readonly onError: (message: string) => void,
  ) {}

  path(id: string): string {
    return join(this.dir, `${id}.log`);
  }

  append(id: string, line: string): void {
    let buffer = this.pending.get(id);
    if (!buffer) this.pending.set(id, (buffer = []));
    buffer.push(line);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [id, lines] of this.pending) {
      try {
        appendFileSync(this.path(id), lines.join("\n") + "\n", { mode: 0o600 });
      } catch (error) {
        this.onError(`cannot write the log of task ${id}: ${(error as Error).message}`);
      }
    }
    this.pending.clear();
  }
}
