/**
 * Tasks as the UI holds them: one record per task id, the ids shown in the "Active operations"
 * panel, the loaded history pages, and the state of each live stream. The reducer merges the
 * three ways a task arrives — an action's answer, the active-task poll, and websocket messages
 * (full or `mode=delta`) — so that an older snapshot never overwrites a newer one and delta logs
 * are spliced at their offset. Pure: the provider applies it to a Solid store.
 */
import type { Task, TaskPage, TaskStatus } from "../api/types.ts";
import { explainFailure } from "../lib/task-failure.ts";

/** Lines kept per task in memory; long pulls print many, and the full log is one request away. */
export const MAX_LOG_LINES = 5000;

export type StreamState = "connecting" | "live" | "reconnecting" | "closed" | "failed";

/** A task plus where its kept `logs` start in the server's numbering (lines before were dropped). */
export interface TaskRecord extends Task {
  log_base: number;
}

export interface TaskState {
  byId: Record<string, TaskRecord>;
  /** Ids in the operations panel, newest first. */
  panel: string[];
  history: { ids: string[]; nextBefore: number | null; loaded: boolean; loading: boolean; error: string | null };
  streams: Record<string, StreamState>;
}

export type TaskAction =
  | { type: "received"; task: Task; showInPanel?: boolean }
  | { type: "message"; message: Task }
  | { type: "activeReceived"; tasks: Task[] }
  | { type: "dismissed"; id: string }
  | { type: "clearFinished" }
  | { type: "historyLoading" }
  | { type: "historyReceived"; page: TaskPage; append: boolean }
  | { type: "historyFailed"; error: string }
  | { type: "streamState"; id: string; state: StreamState };

export const initialTaskState = (): TaskState => ({
  byId: {},
  panel: [],
  history: { ids: [], nextBefore: null, loaded: false, loading: false, error: null },
  streams: {},
});

export const isFinished = (status: TaskStatus): boolean => status === "completed" || status === "failed";

/** Keeps at most `max` lines, advancing log_base by what was dropped. */
function capLogs(record: TaskRecord, max: number): TaskRecord {
  const extra = record.logs.length - max;
  if (extra <= 0) return record;
  return { ...record, logs: record.logs.slice(extra), log_base: record.log_base + extra };
}

function fromFull(task: Task, max: number): TaskRecord {
  const { log_offset: _ignored, ...rest } = task;
  return capLogs({ ...rest, logs: task.logs ?? [], log_base: 0 }, max);
}

/**
 * Merges a websocket message into what we had. With `log_offset` the message's logs replace
 * everything from that (absolute) line on — `previous.slice(0, log_offset).concat(message.logs)` —
 * translated through `log_base` because the cap may have dropped early lines. Without
 * `log_offset` the message is a full task.
 */
export function mergeTaskMessage(prev: TaskRecord | undefined, message: Task, max = MAX_LOG_LINES): TaskRecord {
  const { log_offset: offset, ...rest } = message;
  const incoming = message.logs ?? [];
  if (typeof offset !== "number") return capLogs({ ...rest, logs: incoming, log_base: 0 }, max);
  if (!prev) return capLogs({ ...rest, logs: incoming, log_base: offset }, max);
  const end = prev.log_base + prev.logs.length;
  if (offset > end) {
    // Lines between what we hold and the offset never arrived (should not happen: a new
    // connection starts from 0). Keep both and renumber ours to sit just before the offset,
    // so later offsets still splice at the right place.
    return capLogs({ ...rest, logs: prev.logs.concat(incoming), log_base: offset - prev.logs.length }, max);
  }
  if (offset >= prev.log_base) {
    return capLogs({ ...rest, logs: prev.logs.slice(0, offset - prev.log_base).concat(incoming), log_base: prev.log_base }, max);
  }
  // The message restarts before lines we already dropped: keep only the part still in range.
  return capLogs({ ...rest, logs: incoming.slice(prev.log_base - offset), log_base: prev.log_base }, max);
}

/** Whether `incoming` (a full snapshot) is at least as new as what we hold. */
function isNewer(prev: TaskRecord | undefined, incoming: Task): boolean {
  if (!prev) return true;
  // A finished task never goes back to running because a stale poll answer arrived late.
  if (isFinished(prev.status) && !isFinished(incoming.status)) return false;
  return incoming.updated_at >= prev.updated_at;
}

function upsert(state: TaskState, task: Task, panel: boolean): TaskState {
  const prev = state.byId[task.id];
  const byId = isNewer(prev, task) ? { ...state.byId, [task.id]: fromFull(task, MAX_LOG_LINES) } : state.byId;
  const inPanel = state.panel.includes(task.id);
  return { ...state, byId, panel: panel && !inPanel ? [task.id, ...state.panel] : state.panel };
}

export function taskReducer(state: TaskState, action: TaskAction): TaskState {
  switch (action.type) {
    case "received":
      return upsert(state, action.task, action.showInPanel ?? true);
    case "message": {
      const prev = state.byId[action.message.id];
      if (prev && isFinished(prev.status) && !isFinished(action.message.status) && typeof action.message.log_offset !== "number") {
        return state;
      }
      const merged = mergeTaskMessage(prev, action.message);
      const panel = state.panel.includes(merged.id) ? state.panel : [merged.id, ...state.panel];
      return { ...state, byId: { ...state.byId, [merged.id]: merged }, panel };
    }
    case "activeReceived": {
      let next = state;
      // Oldest first so the newest ends up on top of the panel.
      const sorted = [...action.tasks].sort((a, b) => a.created_at - b.created_at);
      for (const task of sorted) next = upsert(next, task, true);
      return next;
    }
    case "dismissed":
      return { ...state, panel: state.panel.filter((id) => id !== action.id) };
    case "clearFinished":
      return { ...state, panel: state.panel.filter((id) => !isFinished(state.byId[id]?.status ?? "pending")) };
    case "historyLoading":
      return { ...state, history: { ...state.history, loading: true, error: null } };
    case "historyReceived": {
      let byId = state.byId;
      for (const task of action.page.tasks) {
        if (isNewer(byId[task.id], task)) byId = { ...byId, [task.id]: fromFull(task, MAX_LOG_LINES) };
      }
      const fresh = action.page.tasks.map((t) => t.id);
      const ids = action.append ? [...state.history.ids, ...fresh.filter((id) => !state.history.ids.includes(id))] : fresh;
      return {
        ...state,
        byId,
        history: { ids, nextBefore: action.page.next_before, loaded: true, loading: false, error: null },
      };
    }
    case "historyFailed":
      return { ...state, history: { ...state.history, loading: false, error: action.error } };
    case "streamState":
      return { ...state, streams: { ...state.streams, [action.id]: action.state } };
  }
}

/** Tasks in the panel, unfinished first, each group newest first. */
export function panelTasks(state: TaskState): TaskRecord[] {
  const tasks = state.panel.map((id) => state.byId[id]).filter((t): t is TaskRecord => t !== undefined);
  const active = tasks.filter((t) => !isFinished(t.status));
  const done = tasks.filter((t) => isFinished(t.status));
  const newest = (a: TaskRecord, b: TaskRecord) => b.created_at - a.created_at;
  return [...active.sort(newest), ...done.sort(newest)];
}

/** Ids of panel tasks that still need a live stream. */
export function unfinishedIds(state: TaskState): string[] {
  return state.panel.filter((id) => {
    const t = state.byId[id];
    return t !== undefined && !isFinished(t.status);
  });
}

/** Unfinished tasks we hold that the server no longer lists as active: they ended unseen. */
export function vanishedIds(state: TaskState, activeIds: readonly string[]): string[] {
  const active = new Set(activeIds);
  return unfinishedIds(state).filter((id) => !active.has(id));
}

/** Seconds a task has run: until `now` while unfinished, until its last update once finished. */
export function taskElapsed(task: Pick<Task, "status" | "created_at" | "updated_at">, nowSeconds: number): number {
  const end = isFinished(task.status) ? task.updated_at : nowSeconds;
  return Math.max(0, end - task.created_at);
}

/** The newest unfinished task operating on a VM, if any. */
export function activeTaskForVm(state: TaskState, vmName: string): TaskRecord | undefined {
  return panelTasks(state).find((t) => t.vm_name === vmName && !isFinished(t.status));
}

/**
 * Whether Retry is offered: the server retries any failed task (start, stop, delete, pull, clone,
 * create), so it is offered for each, except where tart's answer says the same request cannot
 * succeed (a missing image, a disk that can only grow, …: see explainFailure).
 */
/** Pulls, clones and creates can be stopped while they run (the server cancels tart). */
export const canCancel = (task: Pick<Task, "status" | "action">): boolean =>
  !isFinished(task.status) && (task.action === "pull_vm" || task.action === "clone_vm" || task.action === "create_vm");

/** A failed registry login is never offered again: the server kept no password to retry it with. */
export const canRetry = (task: Pick<Task, "status" | "action" | "error" | "stderr">): boolean =>
  task.status === "failed" && task.action !== "registry_login" && explainFailure(task).retry;

/** The History filter: "" / "all" means any. */
export interface HistoryFilter {
  status: TaskStatus | "all";
  action: Task["action"] | "all";
  vm: string;
  text: string;
}

export const emptyHistoryFilter = (): HistoryFilter => ({ status: "all", action: "all", vm: "", text: "" });

/** Tasks matching every part of the filter; text is searched in the command, error and stderr. */
export function filterHistory<T extends Task>(tasks: readonly T[], filter: HistoryFilter): T[] {
  const vm = filter.vm.trim().toLowerCase();
  const text = filter.text.trim().toLowerCase();
  return tasks.filter((t) => {
    if (filter.status !== "all" && t.status !== filter.status) return false;
    if (filter.action !== "all" && t.action !== filter.action) return false;
    if (vm && !(t.vm_name ?? "").toLowerCase().includes(vm) && !(t.command ?? []).some((a) => a.toLowerCase() === vm)) return false;
    if (text) {
      const haystack = [t.action, t.vm_name ?? "", (t.command ?? []).join(" "), t.error ?? "", t.stderr ?? ""].join("\n").toLowerCase();
      if (!haystack.includes(text)) return false;
    }
    return true;
  });
}

/** The distinct VM names in a list of tasks, sorted, for the History filter's suggestions. */
export const historyVmNames = (tasks: readonly Task[]): string[] =>
  [...new Set(tasks.map((t) => t.vm_name).filter((n): n is string => !!n))].sort();
