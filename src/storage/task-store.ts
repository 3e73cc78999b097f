/**
 * Task history in an embedded SQLite database (bun:sqlite), so finished tasks, their results and
 * the tail of their logs survive restarts. Tasks found "pending"/"running" when the server starts
 * were cut off by a crash or kill: they are marked failed, "interrupted by server restart".
 * Columns added since the first release are added to an older database when it is opened; its
 * rows read them as null.
 */
import { Database } from "bun:sqlite";
import { closeSync, existsSync, openSync } from "node:fs";
import { LogRing } from "../domain/log-ring.ts";
import type { PullProgress } from "../domain/pull-progress.ts";
import type { InstallProgress } from "../domain/install-progress.ts";
import { storedAction, type Task, type TaskStatus } from "../domain/task.ts";

interface Row {
  id: string;
  action: string;
  status: string;
  vm_name: string | null;
  command: string | null;
  exit_code: number | null;
  result: string | null;
  error: string | null;
  stderr: string | null;
  progress: number | null;
  pull_progress: string | null;
  install_progress: string | null;
  created_at: number;
  updated_at: number;
  logs: string;
  log_first: number;
  params: string;
}

export const INTERRUPTED = "interrupted by server restart";

/** Columns newer than the first schema, with their types: [name, type]. */
const ADDED_COLUMNS: [string, string][] = [["pull_progress", "TEXT"], ["install_progress", "TEXT"]];

export class TaskStore {
  private readonly db: Database;
  private readonly upsert;
  private readonly byId;
  private readonly page;

  constructor(
    path: string,
    private readonly logCapacity: number,
  ) {
    // Created 0600 by us: SQLite would use the umask's 0644, and its -wal/-shm files copy this mode.
    if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
    this.db = new Database(path, { create: true, strict: true });
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000;");
    this.db.exec(`CREATE TABLE IF NOT EXISTS tasks (
      id TEXT PRIMARY KEY, action TEXT NOT NULL, status TEXT NOT NULL, vm_name TEXT,
      command TEXT, exit_code INTEGER, result TEXT, error TEXT, stderr TEXT, progress REAL, pull_progress TEXT, install_progress TEXT,
      created_at REAL NOT NULL, updated_at REAL NOT NULL, logs TEXT NOT NULL, log_first INTEGER NOT NULL,
      params TEXT NOT NULL)`);
    this.db.exec("CREATE INDEX IF NOT EXISTS tasks_created ON tasks (created_at DESC)");
    this.addMissingColumns();
    this.upsert = this.db.prepare(`INSERT OR REPLACE INTO tasks
      (id, action, status, vm_name, command, exit_code, result, error, stderr, progress, pull_progress, install_progress, created_at, updated_at, logs, log_first, params)
      VALUES ($id, $action, $status, $vm_name, $command, $exit_code, $result, $error, $stderr, $progress, $pull_progress, $install_progress, $created_at, $updated_at, $logs, $log_first, $params)`);
    this.byId = this.db.prepare<Row, [string]>("SELECT * FROM tasks WHERE id = ?");
    this.page = this.db.prepare<Row, [number, number]>(
      "SELECT * FROM tasks WHERE created_at < ? ORDER BY created_at DESC LIMIT ?",
    );
  }

  save(task: Task): void {
    this.upsert.run({
      id: task.id,
      action: task.action,
      status: task.status,
      vm_name: task.vm_name,
      command: task.command ? JSON.stringify(task.command) : null,
      exit_code: task.exit_code,
      result: task.result ? JSON.stringify(task.result) : null,
      error: task.error,
      stderr: task.stderr,
      progress: task.progress,
      pull_progress: task.pull_progress ? JSON.stringify(task.pull_progress) : null,
      install_progress: task.install_progress ? JSON.stringify(task.install_progress) : null,
      created_at: task.created_at,
      updated_at: task.updated_at,
      logs: JSON.stringify(task.logs.all()),
      log_first: task.logs.firstOffset,
      params: JSON.stringify(task.params),
    });
  }

  get(id: string): Task | null {
    const row = this.byId.get(id);
    return row ? this.fromRow(row) : null;
  }

  /** Newest first, created strictly before `before`. */
  list(limit: number, before: number): Task[] {
    return this.page.all(before, limit).map((row) => this.fromRow(row));
  }

  /** Marks tasks left unfinished by a previous process as failed; returns how many. */
  failInterrupted(now: number): number {
    const result = this.db
      .prepare("UPDATE tasks SET status = 'failed', error = ?, updated_at = ? WHERE status IN ('pending', 'running')")
      .run(INTERRUPTED, now);
    return result.changes;
  }

  close(): void {
    this.db.close();
  }

  /** A database written by an older version lacks the newer columns; SQLite adds them as NULL. */
  private addMissingColumns(): void {
    const have = new Set(this.db.query<{ name: string }, []>("PRAGMA table_info(tasks)").all().map((column) => column.name));
    for (const [name, type] of ADDED_COLUMNS) if (!have.has(name)) this.db.exec(`ALTER TABLE tasks ADD COLUMN ${name} ${type}`);
  }

  private fromRow(row: Row): Task {
    return {
      id: row.id,
      action: storedAction(row.action),
      status: row.status as TaskStatus,
      vm_name: row.vm_name,
      command: row.command ? JSON.parse(row.command) : null,
      exit_code: row.exit_code,
      result: row.result ? JSON.parse(row.result) : null,
      error: row.error,
      stderr: row.stderr,
      progress: row.progress,
      pull_progress: row.pull_progress ? (JSON.parse(row.pull_progress) as PullProgress) : null,
      install_progress: row.install_progress ? (JSON.parse(row.install_progress) as InstallProgress) : null,
      created_at: row.created_at,
      updated_at: row.updated_at,
      logs: new LogRing(this.logCapacity, JSON.parse(row.logs), row.log_first),
      params: JSON.parse(row.params),
    };
  }
}
