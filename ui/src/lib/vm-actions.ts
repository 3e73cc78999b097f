/**
 * Which actions a VM offers right now. OCI images are templates: they are cloned or used to
 * create a VM, not run; local VMs start and stop. Any VM with a task in flight offers no
 * mutating action (the server would answer 409 anyway) — that keeps double clicks harmless.
 */
import type { Vm } from "../api/types.ts";
import { isOci } from "../stores/vms.ts";

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

export function vmActions(vm: Vm, tartAvailable = true): VmActionSet {
  const busy = Boolean(vm.active_task_id);
  const can = tartAvailable && !busy;
  const oci = isOci(vm);
  const running = vm.status === "running" || vm.state === "running";
  return {
    start: can && !oci && !running,
    stop: can && !oci && (running || vm.state === "suspended"),
    clone: can,
    create: can,
    delete: can && !running,
    config: true,
    connect: Boolean(vm.ip_address) && running,
    busy,
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
