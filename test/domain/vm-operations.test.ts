// VmOperations over the in-memory tart: locks held for a task's life, a create refused before
// any tart call, a failed create's own step recorded, a pull's lock, and retry's input check.
import { describe, expect, test } from "bun:test";
import { AppError, invalid } from "../../src/domain/errors.ts";
import { MemoryTart } from "../support/memory-tart.ts";
import { domain, ended } from "./fixtures.ts";

const noCheck = () => {};

describe("VmOperations", () => {
  test("a task holds its VM until it ends, then the VM is free and the list shows the change", async () => {
    const tart = new MemoryTart().add("dev");
    const { operations, inventory, tasks } = domain(tart);
    await inventory.refresh();
    const release = tart.hold("delete");
    const task = await operations.delete("dev");
    expect(inventory.find("dev")!.active_task_id).toBe(task.id);
    await expect(operations.stop("dev")).rejects.toThrow(task.id);
    release();
    expect((await ended(tasks, task.id)).status).toBe("completed");
    expect(inventory.find("dev")).toBeNull();
  });

  test("create refuses cores, memory and a disk that cannot work, before any tart call", async () => {
    const tart = new MemoryTart().add("base", { disk: 50 });
    const { operations, inventory } = domain(tart, { cpu_cores: 2, memory_gb: 16 });
    await inventory.refresh();
    const calls = tart.calls.length;
    for (const [sizes, detail] of [
      [{ cpu: 3 }, "cpu: the host has 2 cores; a VM cannot have more"],
      [{ memory: 17 }, "memory: the host has 16 GB of memory; a VM cannot have more"],
      [{ disk_size: 49 }, "disk_size: the source's disk is 50 GB; tart can only grow a disk"],
    ] as const) {
      const refused = await operations.create({ name: "new", source_vm: "base", ...sizes }).catch((error) => error);
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: "validation", detail });
    }
    expect(tart.calls.length).toBe(calls);
  });

  test("a failed create keeps the failed set as its command; the clean-up is only logged", async () => {
    const tart = new MemoryTart().add("base");
    const { operations, inventory, tasks } = domain(tart);
    await inventory.refresh();
    tart.fail("set", "Error: refused", 1);
    const task = await ended(tasks, (await operations.create({ name: "new", source_vm: "base", cpu: 2 })).id);
    expect(task).toMatchObject({ status: "failed", command: ["tart", "set", "new", "--cpu", "2"], exit_code: 1, stderr: "Error: refused" });
    expect(task.logs.all()).toContain("$ tart delete new");
    expect(tart.vms.has("new")).toBe(false);
  });

  test("a pull holds its reference: a second pull joins it, a delete is refused", async () => {
    const ref = "ghcr.io/x/y:latest";
    const tart = new MemoryTart().add(ref, { source: "oci" });
    const { operations, inventory, tasks } = domain(tart);
    await inventory.refresh();
    const release = tart.hold("pull");
    const pull = operations.pull(ref);
    expect(operations.pull(ref)).toBe(pull);
    await expect(operations.delete(ref)).rejects.toThrow(pull.id);
    release();
    expect((await ended(tasks, pull.id)).status).toBe("completed");
    expect(operations.pull(ref)).not.toBe(pull);
  });

  test("retry puts the stored input through the route's check, then the operation's own", async () => {
    const tart = new MemoryTart().add("base");
    const { operations, inventory, tasks } = domain(tart);
    await inventory.refresh();
    tart.fail("clone", "Error: no space");
    const failed = await ended(tasks, (await operations.clone("base", "copy", false)).id);
    const seen: unknown[] = [];
    const refuse = (action: string, params: Record<string, unknown>) => {
      seen.push([action, params.new_name]);
      throw invalid("new_name: refused");
    };
    await expect(operations.retry(failed.id, refuse)).rejects.toThrow("new_name: refused");
    expect(seen).toEqual([["clone_vm", "copy"]]);
    failed.params.new_name = "-rf"; // past the schema, the name rules still apply
    await expect(operations.retry(failed.id, noCheck)).rejects.toThrow("new_name:");
    failed.params.new_name = "copy";
    expect((await ended(tasks, (await operations.retry(failed.id, noCheck)).id)).status).toBe("completed");
  });
});
