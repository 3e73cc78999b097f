/**
 * What the VMs page shows of each cluster, as pure functions (tested without a DOM): the page's
 * own filter (its text box and its running / stopped / unknown status) applied to a cluster's VMs,
 * and a cap on the rows, since the full paged table lives on the Clusters page.
 */
import type { ClusterVm } from "../api/types.ts";
import type { StatusFilter } from "../stores/vms.ts";
import { filterClusterVms } from "./cluster-view.ts";

/** Rows per cluster on the VMs page; the rest are one click away on the Clusters page. */
export const BESIDE_CAP = 50;

/**
 * Orchard's five states read as the local statuses: stopped and failed VMs are not running and
 * will not run again by themselves; pending and stopping are on their way, so "unknown" yet.
 */
const STATUS_OF: Record<ClusterVm["state"], Exclude<StatusFilter, "all">> = {
  running: "running",
  stopped: "stopped",
  failed: "stopped",
  pending: "unknown",
  stopping: "unknown",
};

export function besideStatus(vm: Pick<ClusterVm, "state">): Exclude<StatusFilter, "all"> {
  return STATUS_OF[vm.state] ?? "unknown";
}

export interface BesideRows {
  /** At most `cap` VMs, in the controller's order. */
  rows: ClusterVm[];
  /** How many VMs match the filter (rows.length unless capped). */
  matched: number;
}

export function besideRows(vms: readonly ClusterVm[], text: string, status: StatusFilter, cap = BESIDE_CAP): BesideRows {
  const byText = filterClusterVms(vms, text, "all");
  const matching = status === "all" ? byText : byText.filter((vm) => besideStatus(vm) === status);
  return { rows: matching.length > cap ? matching.slice(0, cap) : matching, matched: matching.length };
}
