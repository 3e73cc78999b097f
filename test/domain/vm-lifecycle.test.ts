// The lifecycle verbs of VmOperations over the in-memory tart: a force stop taking over from a
// graceful stop that hangs and killing the run, suspend refused unless the server started the VM
// suspendable, a rename that carries the VM's origin along, and settings planned before tart.
import { describe, expect, test } from "bun:test";
import type { Task } from "../../src/domain/task.ts";
import type { TaskManager } from "../../src/domain/task-manager.ts";
import { VmOrigins } from "../../src/domain/vm-origins.ts";
import { MemoryTart } from "../support/memory-tart.ts";
import { domain } from "./fixtures.ts";

async function finished(tasks: TaskManager, id: string): Promise<Task> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const task = tasks.get(id)!;
    if (task.status === "completed" || task.status === "failed") return task;
    if (Date.now() > deadline) throw new Error(`task ${id} did not end`);
    await Bun.sleep(10);
  }
}

describe("lifecycle operations", () => {
  test("a force stop takes over from a hanging graceful stop and kills the run it started", async () => {
    const tart = new MemoryTart().add("dev");
    const { operations, inventory, tasks } = domain(tart, undefined, { forceStop: { tartStopMs: 50, countdownSeconds: 0 } });
    await inventory.refresh();
    expect((await finished(tasks, (await operations.start("dev")).id)).status).toBe("completed");
    const release = tart.hold("stop");
    try {
      const graceful = await operations.stop("dev");
      await Bun.sleep(20);
      const forced = await operations.stop("dev", { force: true });
      expect(inventory.find("dev")!.active_task_id).toBe(forced.id);
      expect(await finished(tasks, graceful.id)).toMatchObject({ status: "failed", error: "cancelled; a force stop took over" });
      const done = await finished(tasks, forced.id);
      expect(done).toMatchObject({ status: "completed", result: { forced: true, killed: true } });
      expect(done.logs.all()).toContain("killing tart run (pid 4242) with SIGKILL");
    } finally {
      release();
    }
    expect(tart.calls.filter((argv) => argv[0] === "stop")).toEqual([
      ["stop", "--timeout", "30", "dev"],
      ["stop", "--timeout", "0", "dev"],
    ]);
    expect(inventory.find("dev")!.state).toBe("stopped");
  });

  test("suspend needs a run this server started suspendable; the VM then says so", async () => {
    const tart = new MemoryTart().add("dev").add("box");
    const { operations, inventory, tasks } = domain(tart);
    await inventory.refresh();
    tart.vms.get("box")!.state = "running"; // started elsewhere
    await inventory.refresh();
    const calls = tart.calls.length;
    await expect(operations.suspend("box")).rejects.toMatchObject({ code: "conflict", detail: expect.stringContaining("this server did not start it") });
    await expect(operations.suspend("dev")).rejects.toMatchObject({ code: "conflict", detail: expect.stringContaining("only a running VM can be suspended") });
    expect(tart.calls.length).toBe(calls);

    expect((await finished(tasks, (await operations.start("dev", { suspendable: true })).id)).status).toBe("completed");
    expect(inventory.find("dev")!.suspendable).toBe(true);
    expect(inventory.find("box")!.suspendable).toBeNull();
    const suspended = await finished(tasks, (await operations.suspend("dev")).id);
    expect(suspended).toMatchObject({ status: "completed", result: { state: "suspended" } });
    expect(inventory.find("dev")).toMatchObject({ state: "suspended", suspendable: null });
    const resumed = await finished(tasks, (await operations.start("dev")).id);
    expect(resumed.result).toMatchObject({ message: "VM dev resumed", resumed: true, suspendable: true });
  });

  test("a rename carries the VM's origin, and the links of the VMs made from it, to its new name", async () => {
    const tart = new MemoryTart().add("dev").add("child");
    const saved: Record<string, string>[] = [];
    const origins = new VmOrigins({ load: () => ({ dev: "ghcr.io/cirruslabs/macos-sequoia-base:latest", child: "dev" }), save: (all) => saved.push(all) });
    const { operations, inventory, tasks } = domain(tart, undefined, { origins });
    await inventory.refresh();
    const done = await finished(tasks, (await operations.rename("dev", "box")).id);
    expect(done.status).toBe("completed");
    expect(origins.all()).toEqual({ box: "ghcr.io/cirruslabs/macos-sequoia-base:latest", child: "box" });
    expect(saved).toHaveLength(1); // one write for the whole rename
    expect(inventory.find("box")).not.toBeNull();
  });

  test("settings become one tart set in tart's order; a running VM keeps its disk", async () => {
    const tart = new MemoryTart().add("dev");
    const { operations, inventory, tasks } = domain(tart);
    await inventory.refresh();
    await finished(tasks, (await operations.settings("dev", { random_serial: true, disk_size: 70, cpu: 6, display: "800x600" })).id);
    expect(tart.calls.filter((argv) => argv[0] === "set")).toEqual([["set", "dev", "--cpu", "6", "--display", "800x600", "--random-serial", "--disk-size", "70"]]);
    tart.vms.get("dev")!.state = "running";
    await inventory.refresh();
    await expect(operations.settings("dev", { disk_size: 80 })).rejects.toMatchObject({ code: "conflict" });
  });
});
