/**
 * What the Clusters page shows, as pure functions (tested without a DOM): the filter and sort of
 * a cluster's VMs, the in-flight label of a VM with an unfinished task, a worker's capacity line,
 * and how a cluster's health reads.
 */
import type { Cluster, ClusterVm, ClusterWorker, Task } from "../api/types.ts";

export type ClusterStateFilter = "all" | ClusterVm["state"];
export const CLUSTER_STATE_FILTERS: ClusterStateFilter[] = ["all", "pending", "running", "stopping", "stopped", "failed"];

export function filterClusterVms(vms: readonly ClusterVm[], text: string, state: ClusterStateFilter): ClusterVm[] {
  const needle = text.trim().toLowerCase();
  return vms.filter(
    (vm) =>
      (state === "all" || vm.state === state) &&
      (!needle || vm.name.toLowerCase().includes(needle) || vm.image.toLowerCase().includes(needle) || (vm.worker ?? "").toLowerCase().includes(needle)),
  );
}

/** The task subject of a cluster VM, as the server names it. */
export const clusterSubject = (cluster: string, vm: string) => `${cluster}/${vm}`;

const BUSY: Record<string, string> = { create_cluster_vm: "Creating…", stop_cluster_vm: "Stopping…", delete_cluster_vm: "Deleting…" };

/** Subject → what its unfinished task is doing, from every task the UI knows. */
export function busyLabels(tasks: Iterable<Pick<Task, "action" | "status" | "vm_name">>): Map<string, string> {
  const labels = new Map<string, string>();
  for (const task of tasks) {
    if (task.status === "completed" || task.status === "failed" || !task.vm_name) continue;
    const label = BUSY[task.action];
    if (label) labels.set(task.vm_name, label);
  }
  return labels;
}

const TART_VMS = "org.cirruslabs.tart-vms";
const CORES = "org.cirruslabs.logical-cores";
const MEMORY = "org.cirruslabs.memory-mib";

/** "1 of 2 VMs · 10 cores · 32 GB": the worker's VM slots in use, and its size. */
export function workerCapacity(worker: ClusterWorker): string {
  const parts: string[] = [];
  if (worker.resources[TART_VMS] !== undefined) parts.push(`${worker.used[TART_VMS] ?? 0} of ${worker.resources[TART_VMS]} VMs`);
  if (worker.resources[CORES]) parts.push(`${worker.resources[CORES]} cores`);
  if (worker.resources[MEMORY]) parts.push(`${Math.round(worker.resources[MEMORY] / 1024)} GB`);
  return parts.join(" · ") || "—";
}

export function workerState(worker: ClusterWorker): "offline" | "paused" | "online" {
  if (!worker.online) return "offline";
  return worker.scheduling_paused ? "paused" : "online";
}

export function healthText(cluster: Cluster): string {
  const health = cluster.health;
  switch (health.state) {
    case "ok":
      return `Connected · Orchard ${health.version ?? "?"}`;
    case "unauthorized":
      return `Refused: ${health.detail ?? "wrong service account"}`;
    case "timeout":
      return `No answer (${health.detail ?? "timeout"})`;
    case "untrusted_certificate":
      return `Untrusted certificate: ${health.detail ?? ""}`;
    case "unreachable":
      return `Unreachable: ${health.detail ?? ""}`;
    default:
      return health.detail ?? "Error";
  }
}

/** Memory in GB for the table (Orchard keeps MiB). */
export const memoryGb = (mib: number | null): string => (mib ? `${Math.round((mib / 1024) * 10) / 10} GB` : "—");

/**
 * The new list, with every VM that did not change kept as the same object: the table's rows are
 * keyed by object, so a poll of 2,000 VMs re-renders only the rows whose VM changed.
 */
export function keepUnchanged(previous: readonly ClusterVm[], next: ClusterVm[]): ClusterVm[] {
  const old = new Map(previous.map((vm) => [vm.name, vm]));
  let same = previous.length === next.length;
  const merged = next.map((vm, index) => {
    const before = old.get(vm.name);
    if (before && JSON.stringify(before) === JSON.stringify(vm)) {
      if (previous[index] !== before) same = false;
      return before;
    }
    same = false;
    return vm;
  });
  return same ? (previous as ClusterVm[]) : merged;
}
