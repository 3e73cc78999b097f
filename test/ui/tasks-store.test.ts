// The task store: merging action answers, polls and websocket messages (full and delta).
import { describe, expect, test } from "bun:test";
import type { Task } from "../../ui/src/api/types.ts";
import {
  activeTaskForVm,
  canRetry,
  initialTaskState,
  mergeTaskMessage,
  panelTasks,
  taskElapsed,
  taskReducer,
  unfinishedIds,
  vanishedIds,
  type TaskRecord,
  emptyHistoryFilter,
  filterHistory,
  type HistoryFilter,
} from "../../ui/src/stores/tasks.ts";

const task = (id: string, extra: Partial<Task> = {}): Task => ({
  id,
  action: "pull_vm",
  status: "running",
  command: ["tart", "pull", "x"],
  exit_code: null,
  result: null,
  error: null,
  stderr: null,
  created_at: 100,
  updated_at: 100,
  logs: [],
  vm_name: null,
  progress: null,
  pull_progress: null,
  ...extra,
});
const record = (id: string, logs: string[], base = 0): TaskRecord => ({ ...task(id, { logs }), log_base: base });

describe("mergeTaskMessage (mode=delta)", () => {
  test("appends lines from the offset", () => {
    const merged = mergeTaskMessage(record("t", ["a", "b"]), task("t", { logs: ["c"], log_offset: 2 }));
    expect(merged.logs).toEqual(["a", "b", "c"]);
    expect("log_offset" in merged).toBe(false);
  });
  test("replaces from an earlier offset (a rewritten progress line)", () => {
    const merged = mergeTaskMessage(record("t", ["a", "10%"]), task("t", { logs: ["20%", "d"], log_offset: 1 }));
    expect(merged.logs).toEqual(["a", "20%", "d"]);
  });
  test("offset 0 replaces everything (a reconnect resends the whole log)", () => {
    const merged = mergeTaskMessage(record("t", ["a", "b"]), task("t", { logs: ["a", "b", "c"], log_offset: 0 }));
    expect(merged.logs).toEqual(["a", "b", "c"]);
  });
  test("a message without log_offset is a full task", () => {
    const merged = mergeTaskMessage(record("t", ["a", "b"]), task("t", { logs: ["x"] }));
    expect(merged.logs).toEqual(["x"]);
    expect(merged.log_base).toBe(0);
  });
  test("takes the status, progress and result of the message", () => {
    const merged = mergeTaskMessage(record("t", []), task("t", { status: "completed", progress: 100, logs: [], log_offset: 0, result: { ok: 1 } }));
    expect(merged).toMatchObject({ status: "completed", progress: 100, result: { ok: 1 } });
  });
  test("caps memory and keeps absolute offsets right after the cap", () => {
    let r = mergeTaskMessage(undefined, task("t", { logs: ["1", "2", "3", "4"], log_offset: 0 }), 3);
    expect(r.logs).toEqual(["2", "3", "4"]);
    expect(r.log_base).toBe(1);
    r = mergeTaskMessage(r, task("t", { logs: ["5"], log_offset: 4 }), 3);
    expect(r.logs).toEqual(["3", "4", "5"]);
    r = mergeTaskMessage(r, task("t", { logs: ["4b", "5b"], log_offset: 3 }), 3);
    expect(r.logs).toEqual(["3", "4b", "5b"]);
    r = mergeTaskMessage(r, task("t", { logs: ["0", "1", "2", "3x", "4x"], log_offset: 0 }), 3);
    expect(r.logs).toEqual(["2", "3x", "4x"]);
  });
  test("a gap (offset past what we hold) keeps both", () => {
    const merged = mergeTaskMessage(record("t", ["a"]), task("t", { logs: ["z"], log_offset: 5 }));
    expect(merged.logs).toEqual(["a", "z"]);
    const next = mergeTaskMessage(merged, task("t", { logs: ["zz"], log_offset: 6 }));
    expect(next.logs).toEqual(["a", "z", "zz"]);
  });
});

describe("taskReducer", () => {
  test("received adds to the panel once, newest first", () => {
    let s = taskReducer(initialTaskState(), { type: "received", task: task("a", { created_at: 1 }) });
    s = taskReducer(s, { type: "received", task: task("b", { created_at: 2 }) });
    s = taskReducer(s, { type: "received", task: task("a", { created_at: 1, updated_at: 200 }) });
    expect(s.panel).toEqual(["b", "a"]);
  });
  test("an older snapshot does not overwrite a newer one", () => {
    let s = taskReducer(initialTaskState(), { type: "received", task: task("a", { updated_at: 200, logs: ["new"] }) });
    s = taskReducer(s, { type: "received", task: task("a", { updated_at: 150, logs: ["old"] }) });
    expect(s.byId.a?.logs).toEqual(["new"]);
  });
  test("a finished task never returns to running from a late poll answer", () => {
    let s = taskReducer(initialTaskState(), { type: "received", task: task("a", { status: "completed", updated_at: 200 }) });
    s = taskReducer(s, { type: "activeReceived", tasks: [task("a", { status: "running", updated_at: 300 })] });
    expect(s.byId.a?.status).toBe("completed");
  });
  test("messages merge deltas", () => {
    let s = taskReducer(initialTaskState(), { type: "received", task: task("a", { logs: ["1"] }) });
    s = taskReducer(s, { type: "message", message: task("a", { logs: ["2"], log_offset: 1, progress: 40 }) });
    s = taskReducer(s, { type: "message", message: task("a", { logs: ["3"], log_offset: 2, status: "completed" }) });
    expect(s.byId.a).toMatchObject({ logs: ["1", "2", "3"], status: "completed" });
  });
  test("unfinished and vanished ids", () => {
    let s = taskReducer(initialTaskState(), { type: "activeReceived", tasks: [task("a"), task("b"), task("c", { status: "failed" })] });
    expect(unfinishedIds(s).sort()).toEqual(["a", "b"]);
    expect(vanishedIds(s, ["a"])).toEqual(["b"]);
    s = taskReducer(s, { type: "message", message: task("b", { status: "completed", logs: [], log_offset: 0 }) });
    expect(unfinishedIds(s)).toEqual(["a"]);
  });
  test("dismiss and clearFinished", () => {
    let s = taskReducer(initialTaskState(), { type: "activeReceived", tasks: [task("a"), task("b", { status: "failed" })] });
    s = taskReducer(s, { type: "clearFinished" });
    expect(s.panel).toEqual(["a"]);
    s = taskReducer(s, { type: "dismissed", id: "a" });
    expect(s.panel).toEqual([]);
    expect(s.byId.a).toBeDefined();
  });
  test("history pages append without duplicates and keep the cursor", () => {
    let s = taskReducer(initialTaskState(), { type: "historyLoading" });
    expect(s.history.loading).toBe(true);
    s = taskReducer(s, { type: "historyReceived", page: { tasks: [task("c"), task("b")], next_before: 99 }, append: false });
    s = taskReducer(s, { type: "historyReceived", page: { tasks: [task("b"), task("a")], next_before: null }, append: true });
    expect(s.history).toMatchObject({ ids: ["c", "b", "a"], nextBefore: null, loaded: true, loading: false });
    expect(s.panel).toEqual([]);
    s = taskReducer(s, { type: "historyFailed", error: "nope" });
    expect(s.history.error).toBe("nope");
  });
  test("stream state per task", () => {
    const s = taskReducer(initialTaskState(), { type: "streamState", id: "a", state: "reconnecting" });
    expect(s.streams.a).toBe("reconnecting");
  });
});

describe("selectors", () => {
  test("panel lists unfinished first", () => {
    const s = taskReducer(initialTaskState(), {
      type: "activeReceived",
      tasks: [task("done", { status: "completed", created_at: 5 }), task("run", { created_at: 1 })],
    });
    expect(panelTasks(s).map((t) => t.id)).toEqual(["run", "done"]);
  });
  test("activeTaskForVm", () => {
    const s = taskReducer(initialTaskState(), { type: "received", task: task("a", { vm_name: "dev", action: "start_vm" }) });
    expect(activeTaskForVm(s, "dev")?.id).toBe("a");
    expect(activeTaskForVm(s, "other")).toBeUndefined();
  });
  test("elapsed runs until the task finishes", () => {
    expect(taskElapsed({ status: "running", created_at: 100, updated_at: 105 }, 130)).toBe(30);
    expect(taskElapsed({ status: "completed", created_at: 100, updated_at: 105 }, 130)).toBe(5);
  });
  test("retry is offered for every failed action, except where tart says it cannot help", () => {
    const failed = { status: "failed" as const, error: "boom", stderr: null };
    for (const action of ["pull_vm", "start_vm", "stop_vm", "delete_vm", "clone_vm", "create_vm"] as const) {
      expect(canRetry({ ...failed, action })).toBe(true);
    }
    expect(canRetry({ ...failed, status: "completed", action: "pull_vm" })).toBe(false);
    expect(canRetry({ ...failed, action: "pull_vm", error: 'UnexpectedHTTPStatusCode(when: "pulling manifest", code: 404, details: "MANIFEST_UNKNOWN")' })).toBe(false);
  });
  test("filterHistory matches status, action, VM and text together", () => {
    const list = [
      task("a", { action: "start_vm", status: "failed", vm_name: "dev", command: ["tart", "run", "dev"], error: "The number of VMs exceeds the system limit" }),
      task("b", { action: "pull_vm", status: "completed", vm_name: "ghcr.io/x/y:1", command: ["tart", "pull", "ghcr.io/x/y:1"] }),
      task("c", { action: "clone_vm", status: "completed", vm_name: "copy", command: ["tart", "clone", "dev", "copy"] }),
    ];
    const ids = (f: Partial<HistoryFilter>) => filterHistory(list, { ...emptyHistoryFilter(), ...f }).map((t) => t.id);
    expect(ids({})).toEqual(["a", "b", "c"]);
    expect(ids({ status: "failed" })).toEqual(["a"]);
    expect(ids({ action: "pull_vm" })).toEqual(["b"]);
    expect(ids({ vm: "DEV" })).toEqual(["a", "c"]); // c names dev as its source
    expect(ids({ text: "system limit" })).toEqual(["a"]);
    expect(ids({ text: "tart pull" })).toEqual(["b"]);
    expect(ids({ status: "completed", vm: "dev" })).toEqual(["c"]);
  });
});
