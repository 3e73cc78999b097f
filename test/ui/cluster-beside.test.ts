// The VMs page's view of a cluster: the page's own text and status filter over Orchard's states, and the row cap.
import { describe, expect, test } from "bun:test";
import type { ClusterVm } from "../../ui/src/api/types.ts";
import { BESIDE_CAP, besideRows, besideStatus } from "../../ui/src/lib/cluster-beside.ts";

const vm = (name: string, extra: Partial<ClusterVm> = {}): ClusterVm => ({
  name, cluster: "farm", state: "running", status: "running", status_message: null, power_state: "running", worker: "w1", image: "ghcr.io/cirruslabs/ubuntu:latest",
  image_fqn: null, cpu: 4, memory_mib: 8192, disk_size: null, headless: false, restart_policy: "Never", restart_count: 0, labels: {}, created_at: null, scheduled_at: null, started_at: null, ...extra,
});

describe("cluster VMs beside the local ones", () => {
  test("Orchard's states read as the page's running / stopped / unknown", () => {
    expect(besideStatus({ state: "running" })).toBe("running");
    expect(besideStatus({ state: "stopped" })).toBe("stopped");
    expect(besideStatus({ state: "failed" })).toBe("stopped");
    expect(besideStatus({ state: "pending" })).toBe("unknown");
    expect(besideStatus({ state: "stopping" })).toBe("unknown");
  });

  test("the page's text and status filter both apply", () => {
    const vms = [vm("ci-1"), vm("ci-2", { state: "failed" }), vm("web", { worker: "ci-host" }), vm("db", { state: "pending" })];
    expect(besideRows(vms, "CI-", "all").rows.map((v) => v.name)).toEqual(["ci-1", "ci-2", "web"]);
    expect(besideRows(vms, "ci-", "stopped").rows.map((v) => v.name)).toEqual(["ci-2"]);
    expect(besideRows(vms, "", "unknown").rows.map((v) => v.name)).toEqual(["db"]);
    expect(besideRows(vms, "nothing", "all")).toEqual({ rows: [], matched: 0 });
  });

  test("2,000 VMs: at most the cap as rows, the count of all that match", () => {
    const vms = Array.from({ length: 2000 }, (_, i) => vm(`bulk-${i}`, { state: i % 2 ? "running" : "stopped" }));
    const all = besideRows(vms, "", "all");
    expect(all.rows.length).toBe(BESIDE_CAP);
    expect(all.matched).toBe(2000);
    expect(all.rows[0]!.name).toBe("bulk-0");
    const running = besideRows(vms, "bulk-1", "running");
    expect(running.matched).toBe(vms.filter((v) => v.name.startsWith("bulk-1") && v.state === "running").length);
    expect(running.rows.every((v) => v.state === "running")).toBe(true);
    expect(besideRows(vms, "", "all", 10).rows.length).toBe(10);
  });
});
