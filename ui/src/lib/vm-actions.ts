/**
 * Which actions a VM offers right now, and for each one that it does not, why — the words a
 * disabled button shows as its tooltip and accessible description. OCI images are templates:
 * they are cloned or used to create a VM, not run; local VMs start and stop, and macOS ones
 * started suspendable can be suspended. Any VM with a task in flight offers no mutating action
 * (the server would answer 409 anyway) — that keeps double clicks harmless — except a force
 * stop, which exists to take over from a stop that hangs. A page-wide block (server offline, tart
 * missing) disables everything that needs the server.
 */
import type { Task, Vm } from "../api/types.ts";
import { isOci } from "../stores/vms.ts";
import { isMacOs } from "./vm-labels.ts";

export interface VmActionSet {
  start: boolean;
  stop: boolean;
  clone: boolean;
  create: boolean;
  delete: boolean;
  config: boolean;
  /** Copy IP / ssh / VNC: only with an address. */
  connect: boolean;
  busy: boolean;
}

export type ActionKey = "start" | "stop" | "clone" | "create" | "delete" | "config" | "suspend" | "forceStop" | "rename" | "settings" | "runOptions";

/** For each action: null when it can be used, else the sentence that says why not. */
export type ActionReasons = Record<ActionKey, string | null>;

export const OFFLINE_REASON = "The server is offline";
export const TART_MISSING_REASON = "Tart is not available";

/**
 * Why nothing that needs the server can be done right now, or null. Offline wins: with the
 * server gone, what it last said about tart is stale too.
 */
export function pageBlock(state: { online: boolean; tartProblem: string | null }): string | null {
  if (!state.online) return OFFLINE_REASON;
  if (state.tartProblem) return TART_MISSING_REASON;
  return null;
}

const isRunning = (vm: Vm) => vm.status === "running" || vm.state === "running";

/** Per action, why it is disabled (null: enabled). `busyLabel` names the task in flight ("Starting…"). */
export function actionReasons(vm: Vm, block: string | null = null, busyLabel?: string | null): ActionReasons {
  const oci = isOci(vm);
  const running = isRunning(vm);
  const suspended = vm.state === "suspended";
  const stoppable = running || suspended;
  const busy = vm.active_task_id ? `Wait until ${vm.name} is done: ${busyLabel ?? "an operation is in progress"}` : null;
  const first = (...reasons: (string | null | false)[]) => reasons.find((r): r is string => typeof r === "string") ?? null;
  return {
    start: first(block, oci && "Images are not run: create a VM from it", busy, running && "It is already running"),
    stop: first(block, oci && "Images are not run", busy, !stoppable && "It is not running"),
    clone: first(block, busy),
    create: first(block, busy),
    delete: first(block, busy, running && "Stop the VM to delete it"),
    // Reading the config changes nothing, so only the server's absence stops it.
    config: block === OFFLINE_REASON ? block : null,
    suspend: first(
      block,
      oci && "Images are not run",
      !isMacOs(vm) && "Only macOS VMs can be suspended",
      busy,
      !running && "It is not running",
      vm.suspendable !== true && "Only a VM started suspendable can be suspended",
    ),
    // Not held back by a task in flight: it is there to take over from a stop that hangs.
    forceStop: first(block, oci && "Images are not run", !stoppable && "It is not running"),
    rename: first(block, oci && "Images are not renamed: clone it to a new name", busy, running && "Stop the VM to rename it"),
    settings: first(block, oci && "Images have no settings: create a VM from it", busy, suspended && "Resume and stop it first: a suspended VM keeps its hardware"),
    // Kept by the server and used at the next start: a running VM's can be changed too.
    runOptions: first(block === OFFLINE_REASON && block, oci && "Images are not run: create a VM from it"),
  };
}

/** A stop is offered as a force stop once a graceful one has run this long. */
export const FORCE_STOP_AFTER_MS = 5000;

/** A stop_vm task that is already a force stop (`tart stop --timeout 0`). */
export function isForceStop(task: Pick<Task, "action" | "command">): boolean {
  if (task.action !== "stop_vm") return false;
  const at = task.command?.indexOf("--timeout") ?? -1;
  return at >= 0 && task.command?.[at + 1] === "0";
}

/** Whether the VM's task in flight is a graceful stop that has run long enough to offer Force stop. */
export function stopLingers(task: Pick<Task, "action" | "command" | "status" | "created_at"> | null | undefined, nowMs: number): boolean {
  if (!task || task.action !== "stop_vm" || isForceStop(task)) return false;
  if (task.status !== "running" && task.status !== "pending") return false;
  return nowMs - task.created_at * 1000 >= FORCE_STOP_AFTER_MS;
}

export function vmActions(vm: Vm, tartAvailable = true): VmActionSet {
  const reasons = actionReasons(vm, tartAvailable ? null : TART_MISSING_REASON);
  return {
    start: !reasons.start,
    stop: !reasons.stop,
    clone: !reasons.clone,
    create: !reasons.create,
    delete: !reasons.delete,
    config: !reasons.config,
    connect: Boolean(vm.ip_address) && isRunning(vm),
    busy: Boolean(vm.active_task_id),
  };
}

/** "8G" → 8, "8192M" → 8, 50 → 50; null when not a size. Used to prefill the create form. */
export function gigabytes(value: string | number | null | undefined): number | null {
  if (value == null) return null;
  if (typeof value === "number") return Number.isFinite(value) ? Math.round(value) : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$/i.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] || "G").toUpperCase();
  const gb = unit === "T" ? n * 1024 : unit === "M" ? n / 1024 : unit === "K" ? n / 1024 / 1024 : n;
  return Math.max(1, Math.round(gb));
}
