/**
 * Orchard's resource JSON (spec orchard.md §4) as this API shows it: a VM's state in one word,
 * zero times as null, and a worker's online flag from `last_seen` (Orchard has none of its own).
 */
import type { ClusterVmState, ClusterVmWire, ClusterWorkerWire } from "./cluster-wire.ts";

/** The fields of Orchard's VM this server reads. */
export interface OrchardVm {
  name: string;
  image: string;
  cpu?: number;
  memory?: number;
  diskSize?: number;
  headless?: boolean;
  powerState?: string;
  observedGeneration?: number;
  generation?: number;
  status?: string;
  status_message?: string;
  worker?: string;
  assignedCPU?: number;
  assignedMemory?: number;
  restart_policy?: string;
  restart_count?: number;
  labels?: Record<string, string>;
  resources?: Record<string, number>;
  image_fqn?: string;
  createdAt?: string;
  scheduled_at?: string;
  started_at?: string;
  [field: string]: unknown;
}

export interface OrchardWorker {
  name: string;
  last_seen?: string;
  scheduling_paused?: boolean;
  resources?: Record<string, number>;
  labels?: Record<string, string>;
  arch?: string;
  runtime?: string;
  [field: string]: unknown;
}

/** Orchard's --worker-offline-timeout default. */
export const WORKER_OFFLINE_MS = 3 * 60 * 1000;

/** Go's zero time ("0001-01-01T00:00:00Z", or with the controller's offset) means unset. */
export function goTimeOrNull(value: string | undefined): string | null {
  if (!value || value.startsWith("0001-01-01")) return null;
  return Number.isNaN(Date.parse(value)) ? null : value;
}

export function vmState(vm: OrchardVm): ClusterVmState {
  if (vm.status === "failed") return "failed";
  if (vm.powerState && vm.powerState !== "running") {
    return (vm.observedGeneration ?? 0) >= (vm.generation ?? 0) ? "stopped" : "stopping";
  }
  return vm.status === "running" ? "running" : "pending";
}

export function toVmWire(cluster: string, vm: OrchardVm): ClusterVmWire {
  return {
    name: vm.name,
    cluster,
    state: vmState(vm),
    status: vm.status ?? "pending",
    status_message: vm.status_message || null,
    power_state: vm.powerState ?? "running",
    worker: vm.worker || null,
    image: vm.image,
    image_fqn: vm.image_fqn || null,
    cpu: vm.assignedCPU || vm.cpu || null,
    memory_mib: vm.assignedMemory || vm.memory || null,
    disk_size: vm.diskSize || null,
    headless: vm.headless === true,
    restart_policy: vm.restart_policy ?? "Never",
    restart_count: vm.restart_count ?? 0,
    labels: vm.labels ?? {},
    created_at: goTimeOrNull(vm.createdAt),
    scheduled_at: goTimeOrNull(vm.scheduled_at),
    started_at: goTimeOrNull(vm.started_at),
  };
}

export function toWorkerWire(worker: OrchardWorker, vms: OrchardVm[], now = Date.now()): ClusterWorkerWire {
  const lastSeen = goTimeOrNull(worker.last_seen);
  const used: Record<string, number> = {};
  let count = 0;
  for (const vm of vms) {
    if (vm.worker !== worker.name) continue;
    count += 1;
    const state = vmState(vm);
    if (state === "failed" || state === "stopped") continue;
    for (const [key, amount] of Object.entries(vm.resources ?? {})) used[key] = (used[key] ?? 0) + amount;
  }
  return {
    name: worker.name,
    online: lastSeen !== null && now - Date.parse(lastSeen) <= WORKER_OFFLINE_MS,
    last_seen: lastSeen,
    scheduling_paused: worker.scheduling_paused === true,
    labels: worker.labels ?? {},
    resources: worker.resources ?? {},
    arch: worker.arch ?? null,
    runtime: worker.runtime ?? null,
    used,
    vm_count: count,
  };
}
