// The Clusters page's pure helpers: filter, in-flight labels, capacity, the poll merge.
import { describe, expect, test } from "bun:test";
import type { ClusterVm, ClusterWorker } from "../../ui/src/api/types.ts";
import { busyLabels, filterClusterVms, keepUnchanged, workerCapacity, workerState } from "../../ui/src/lib/cluster-view.ts";

const vm = (name: string, extra: Partial<ClusterVm> = {}): ClusterVm => ({
  name, cluster: "farm", state: "running", status: "running", status_message: null, power_state: "running", worker: "w1", image: "ghcr.io/cirruslabs/ubuntu:latest",
  image_fqn: null, cpu: 4, memory_mib: 8192, disk_size: null, headless: false, restart_policy: "Never", restart_count: 0, labels: {}, created_at: null, scheduled_at: null, started_at: null, ...extra,
});

describe("cluster view", () => {
  test("filter by text over name, image and worker, and by state", () => {
    const vms = [vm("a"), vm("b", { worker: "mac-2", state: "pending" }), vm("c", { image: "ghcr.io/acme/xcode:16" })];
    expect(filterClusterVms(vms, "MAC-2", "all").map((v) => v.name)).toEqual(["b"]);
    expect(filterClusterVms(vms, "xcode", "all").map((v) => v.name)).toEqual(["c"]);
    expect(filterClusterVms(vms, "", "pending").map((v) => v.name)).toEqual(["b"]);
  });

  test("only unfinished cluster tasks mark a VM busy", () => {
    const labels = busyLabels([
      { action: "stop_cluster_vm", status: "running", vm_name: "farm/a" },
      { action: "delete_cluster_vm", status: "completed", vm_name: "farm/b" },
      { action: "start_vm", status: "running", vm_name: "local" },
    ]);
    expect([...labels]).toEqual([["farm/a", "Stopping…"]]);
  });

  test("a worker's capacity and state", () => {
    const worker: ClusterWorker = { name: "w", online: true, last_seen: null, scheduling_paused: true, labels: {}, arch: "arm64", runtime: "tart", vm_count: 1,
      resources: { "org.cirruslabs.tart-vms": 2, "org.cirruslabs.logical-cores": 10, "org.cirruslabs.memory-mib": 32768 }, used: { "org.cirruslabs.tart-vms": 1 } };
    expect(workerCapacity(worker)).toBe("1 of 2 VMs · 10 cores · 32 GB");
    expect(workerState(worker)).toBe("paused");
    expect(workerState({ ...worker, online: false })).toBe("offline");
  });

  test("a poll keeps unchanged VMs as the same objects, and the same array when nothing changed", () => {
    const before = [vm("a"), vm("b")];
    expect(keepUnchanged(before, [vm("a"), vm("b")])).toBe(before);
    const after = keepUnchanged(before, [vm("a"), vm("b", { state: "stopped" })]);
    expect(after[0]).toBe(before[0]!);
    expect(after[1]).not.toBe(before[1]!);
  });
});
