// The task history database: pull_progress is stored with the task, and a database written
// before the column existed opens, gains it, and reads its old tasks with pull_progress null.
import { afterAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogRing } from "../../src/domain/log-ring.ts";
import type { Task } from "../../src/domain/task.ts";
import { TaskStore } from "../../src/storage/task-store.ts";

const dir = mkdtempSync(join(tmpdir(), "task-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const task = (id: string, extra: Partial<Task> = {}): Task => ({
  id,
  action: "pull_vm",
  status: "running",
  vm_name: "ghcr.io/a/b:c",
  command: null,
  exit_code: null,
  result: null,
  error: null,
  stderr: null,
  progress: 40,
  pull_progress: null,
  created_at: 1,
  updated_at: 2,
  logs: new LogRing(10, ["40%"]),
  params: { oci_url: "ghcr.io/a/b:c" },
  ...extra,
});

test("pull_progress is saved and read back", () => {
  const store = new TaskStore(join(dir, "new.sqlite"), 10);
  const pull_progress = { phase: "disk", percent: 40, bytes_total: 24.3e9, bytes_done: 9.72e9, bytes_per_second: 1e8, eta_seconds: 146, attempt: 2, retry_at: null } as const;
  store.save(task("11111111-1111-4111-8111-111111111111", { pull_progress }));
  store.save(task("22222222-2222-4222-8222-222222222222"));
  expect(store.get("11111111-1111-4111-8111-111111111111")!.pull_progress).toEqual(pull_progress);
  expect(store.get("22222222-2222-4222-8222-222222222222")!.pull_progress).toBeNull();
  store.close();
});

test("an older database gains the column; its tasks have no pull progress", () => {
  const path = join(dir, "old.sqlite");
  const old = new Database(path, { create: true });
  old.exec(`CREATE TABLE tasks (
      id TEXT PRIMARY KEY, action TEXT NOT NULL, status TEXT NOT NULL, vm_name TEXT,
      command TEXT, exit_code INTEGER, result TEXT, error TEXT, stderr TEXT, progress REAL,
      created_at REAL NOT NULL, updated_at REAL NOT NULL, logs TEXT NOT NULL, log_first INTEGER NOT NULL,
      params TEXT NOT NULL)`);
  old.exec(`INSERT INTO tasks VALUES ('33333333-3333-4333-8333-333333333333', 'pull', 'completed', 'ghcr.io/a/b:c', NULL, 0, NULL, NULL, NULL, 100, 1, 2, '["100%"]', 0, '{"oci_url":"ghcr.io/a/b:c"}')`);
  old.close();
  const store = new TaskStore(path, 10);
  const read = store.get("33333333-3333-4333-8333-333333333333")!;
  expect(read).toMatchObject({ action: "pull_vm", status: "completed", progress: 100, pull_progress: null });
  store.save(task("44444444-4444-4444-8444-444444444444", { pull_progress: { phase: "done", percent: 100, bytes_total: 1e9, bytes_done: 1e9, bytes_per_second: null, eta_seconds: 0, attempt: 1, retry_at: null } }));
  expect(store.get("44444444-4444-4444-8444-444444444444")!.pull_progress!.phase).toBe("done");
  store.close();
});
