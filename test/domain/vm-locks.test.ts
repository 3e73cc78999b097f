// VmLocks: exclusive and shared holds, all or none, and the inventory told the moment a VM
// becomes busy or free (its active_task_id and the list's ETag).
import { describe, expect, test } from "bun:test";
import { AppError } from "../../src/domain/errors.ts";
import { VmLocks } from "../../src/domain/vm-locks.ts";
import { MemoryTart } from "../support/memory-tart.ts";
import { domain } from "./fixtures.ts";

describe("VmLocks", () => {
  test("an exclusive hold blocks everything; shared holds share; names ignore case", () => {
    const locks = new VmLocks();
    const release = locks.acquire([{ name: "Dev", mode: "exclusive" }], "t1", "start_vm");
    expect(() => locks.acquire([{ name: "dev", mode: "shared" }], "t2", "clone_vm")).toThrow(AppError);
    release();
    locks.acquire([{ name: "dev", mode: "shared" }], "t3", "clone_vm");
    locks.acquire([{ name: "dev", mode: "shared" }], "t4", "clone_vm");
    expect(() => locks.acquire([{ name: "dev", mode: "exclusive" }], "t5", "delete_vm")).toThrow("t3");
    expect(locks.holderOf("DEV")).toBe("t3");
  });

  test("takes every lock or none", () => {
    const locks = new VmLocks();
    locks.acquire([{ name: "b", mode: "exclusive" }], "t1", "start_vm");
    expect(() => locks.acquire([{ name: "a", mode: "exclusive" }, { name: "b", mode: "exclusive" }], "t2", "clone_vm")).toThrow();
    expect(locks.holderOf("a")).toBeNull();
  });

  test("the VM's active_task_id and the list's ETag change the moment a lock is taken and released", async () => {
    const { inventory, locks } = domain(new MemoryTart().add("dev"));
    await inventory.refresh();
    const idle = inventory.listJson().hash;
    const release = locks.acquire([{ name: "dev", mode: "exclusive" }], "task-1", "start_vm");
    expect(inventory.find("dev")!.active_task_id).toBe("task-1");
    expect(JSON.parse(inventory.listJson().json)[0].active_task_id).toBe("task-1");
    expect(inventory.listJson().hash).not.toBe(idle);
    release();
    expect(JSON.parse(inventory.listJson().json)[0].active_task_id).toBeNull();
    expect(inventory.listJson().hash).toBe(idle);
  });
});
