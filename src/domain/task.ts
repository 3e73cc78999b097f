/**
 * The Task record and its wire form (docs/API.md "Task", with `vm_name`, `progress`, `pull_progress`). A task's params
 * are what a retry needs; they stay server-side.
 */
import { LogRing } from "./log-ring.ts";
import type { PullProgress } from "./pull-progress.ts";
import type { InstallProgress } from "./install-progress.ts";

export type TaskStatus = "pending" | "running" | "completed" | "failed";
const FINISHED: ReadonlySet<TaskStatus> = new Set(["completed", "failed"]);

// The original app's names, which its UI and users' scripts match on: keep them exactly. This
// server's own verbs follow the same pattern (suspend_vm, rename_vm, settings_vm); then tart's
// housekeeping and registry accounts, which are about no one VM.
export type TaskAction =
  | "start_vm"
  | "stop_vm"
  | "delete_vm"
  | "clone_vm"
  | "create_vm"
  | "pull_vm"
  | "suspend_vm"
  | "rename_vm"
  | "settings_vm"
  | "prune"
  | "registry_login"
  | "registry_logout"
  // A VM on an Orchard cluster (src/orchard/cluster-vms.ts): the work is a conversation with
  // its controller, not a tart process; `vm_name` is "<cluster>/<vm>".
  | "create_cluster_vm"
  | "stop_cluster_vm"
  | "delete_cluster_vm";
const ACTIONS: ReadonlySet<string> = new Set<TaskAction>([
  "start_vm",
  "stop_vm",
  "delete_vm",
  "clone_vm",
  "create_vm",
  "pull_vm",
  "suspend_vm",
  "rename_vm",
  "settings_vm",
  "prune",
  "registry_login",
  "registry_logout",
  "create_cluster_vm",
  "stop_cluster_vm",
  "delete_cluster_vm",
]);

/**
 * A stored action name as today's TaskAction: history written before the rename says `start`,
 * `pull`, … and becomes `start_vm`, `pull_vm`, … when read.
 */
export function storedAction(name: string): TaskAction {
  if (ACTIONS.has(name)) return name as TaskAction;
  const renamed = `${name}_vm`;
  return (ACTIONS.has(renamed) ? renamed : name) as TaskAction;
}

/** The Task as the API shows it (docs/API.md "Task", with `vm_name`, `progress`). */
export interface TaskWire {
  id: string;
  action: TaskAction;
  status: TaskStatus;
  vm_name: string | null;
  command: string[] | null;
  exit_code: number | null;
  result: Record<string, unknown> | null;
  error: string | null;
  stderr: string | null;
  progress: number | null;
  /** While and after tart pulls an image (pull, or a clone/create of an uncached one); else null. */
  pull_progress: PullProgress | null;
  /** While and after `tart create --from-ipsw` fetches and installs macOS; else null. */
  install_progress: InstallProgress | null;
  created_at: number;
  updated_at: number;
  logs: string[];
  /** Only in incremental websocket messages: the index of logs[0] in the whole log. */
  log_offset?: number;
}

/** The Task in the server: its log as a bounded ring, and the params a retry needs. */
export interface Task extends Omit<TaskWire, "logs" | "log_offset" | "install_progress"> {
  /** Absent on the tasks that never install (the wire always says null for them). */
  install_progress?: InstallProgress | null;
  logs: LogRing;
  params: Record<string, unknown>;
}

export const nowSeconds = () => Date.now() / 1000;

export function toWire(task: Task): TaskWire {
  return { ...fields(task), logs: task.logs.all() };
}

/** The same Task with only the log lines from `offset` on, and that offset. */
export function toDeltaWire(task: Task, offset: number): TaskWire {
  const { offset: from, lines } = task.logs.since(offset);
  return { ...fields(task), logs: lines, log_offset: from };
}

function fields(task: Task): Omit<TaskWire, "logs"> {
  return {
    id: task.id,
    action: task.action,
    status: task.status,
    vm_name: task.vm_name,
    command: task.command,
    exit_code: task.exit_code,
    result: task.result,
    error: task.error,
    stderr: task.stderr,
    progress: task.progress,
    pull_progress: task.pull_progress,
    install_progress: task.install_progress ?? null,
    created_at: task.created_at,
    updated_at: task.updated_at,
  };
}

const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Task ids are UUIDs; anything else (a path, a traversal attempt) names no task. */
export const isTaskId = (id: string) => TASK_ID.test(id);

export const isFinished = (task: { status: TaskStatus }) => FINISHED.has(task.status);
