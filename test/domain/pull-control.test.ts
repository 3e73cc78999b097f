// Cancelling pulls, clones and creates, and retrying a pull cut off by the network, over the
// in-memory tart: what each cancelled task says was left behind, what cannot be cancelled, and
// which failures are retried.
import { describe, expect, test } from "bun:test";
import { AppError } from "../../src/domain/errors.ts";
import { MemoryTart } from "../support/memory-tart.ts";
import { domain, ended } from "./fixtures.ts";

const REF = "ghcr.io/x/y:latest";
const LOST = "Error: The network connection was lost.";

describe("cancel", () => {
  test("a pull: tart is cancelled, the task fails saying nothing was left behind", async () => {
    const tart = new MemoryTart();
    const { operations, tasks } = domain(tart);
    tart.hold("pull");
    const pull = operations.pull(REF);
    await Bun.sleep(5);
    const cancelled = await operations.cancel(pull.id);
    expect(cancelled.status).toBe("failed");
    expect(cancelled.error).toStartWith("cancelled");
    expect(cancelled.error).toContain("nothing was left behind");
    expect(cancelled.logs.all()).toContain("cancel requested");
    expect(tart.vms.has(REF)).toBe(false);
    // the reference is free again: a new pull is a new task
    expect(operations.pull(REF)).not.toBe(pull);
    await ended(tasks, pull.id);
  });

  test("a clone whose copy tart had moved into place: it is deleted, and the task says so", async () => {
    const tart = new MemoryTart().add("base");
    const { operations, inventory } = domain(tart);
    await inventory.refresh();
    tart.cloneFinishesOnCancel = true;
    tart.hold("clone");
    const clone = await operations.clone("base", "copy", false);
    await Bun.sleep(5);
    const cancelled = await operations.cancel(clone.id);
    expect(cancelled).toMatchObject({ status: "failed", error: "cancelled; the half-made clone copy was deleted" });
    expect(tart.calls).toContainEqual(["delete", "copy"]);
    expect(tart.vms.has("copy")).toBe(false);
    // the task keeps the clone as its command; the clean-up is only logged
    expect(cancelled.command).toEqual(["tart", "clone", "base", "copy"]);
  });

  test("a clone cancelled before tart made anything: nothing to delete", async () => {
    const tart = new MemoryTart().add("base");
    const { operations, inventory } = domain(tart);
    await inventory.refresh();
    tart.hold("clone");
    const clone = await operations.clone("base", "copy", false);
    await Bun.sleep(5);
    const cancelled = await operations.cancel(clone.id);
    expect(cancelled).toMatchObject({ status: "failed", error: "cancelled; copy was not made, so nothing was left behind" });
    expect(tart.calls.some((call) => call[0] === "delete")).toBe(false);
  });

  test("a create cancelled while tart set runs: the VM is deleted", async () => {
    const tart = new MemoryTart().add("base");
    const { operations, inventory } = domain(tart);
    await inventory.refresh();
    tart.hold("set");
    const create = await operations.create({ name: "fresh", source_vm: "base", cpu: 4 });
    while (!tart.calls.some((call) => call[0] === "set")) await Bun.sleep(1);
    const cancelled = await operations.cancel(create.id);
    expect(cancelled).toMatchObject({ status: "failed", error: "cancelled while configuring fresh; the half-made clone fresh was deleted" });
    expect(tart.vms.has("fresh")).toBe(false);
  });

  test("start, stop and delete cannot be cancelled; nor can a finished task; an unknown one is 404", async () => {
    const tart = new MemoryTart().add("dev");
    const { operations, inventory, tasks } = domain(tart);
    await inventory.refresh();
    const release = tart.hold("delete");
    const deleting = await operations.delete("dev");
    const refused = await operations.cancel(deleting.id).catch((error) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.code).toBe("conflict");
    expect(refused.detail).toContain("a delete_vm task cannot be cancelled; a deletion cannot be undone");
    release();
    await ended(tasks, deleting.id);
    const late = await operations.cancel(deleting.id).catch((error) => error);
    expect(late.code).toBe("conflict");
    expect(late.detail).toContain("has already completed and cannot be cancelled");
    const unknown = await operations.cancel("00000000-0000-4000-8000-000000000000").catch((error) => error);
    expect(unknown.code).toBe("not_found");
  });
});

describe("pull retries", () => {
  test("one network failure: retried, logged, attempt 2, completed", async () => {
    const tart = new MemoryTart();
    const { operations, tasks } = domain(tart);
    tart.fail("pull", LOST);
    const task = await ended(tasks, operations.pull(REF).id);
    expect(task.status).toBe("completed");
    expect(tart.calls.filter((call) => call[0] === "pull")).toHaveLength(2);
    expect(task.logs.all()).toContain("network error (The network connection was lost.); retrying in 5 ms, attempt 2 of 3; tart starts the download again from 0%");
    expect(task.pull_progress).toMatchObject({ phase: "done", attempt: 2, retry_at: null });
  });

  test("a registry 404 is not retried", async () => {
    const tart = new MemoryTart();
    const { operations, tasks } = domain(tart);
    tart.fail("pull", 'Error: UnexpectedHTTPStatusCode(when: "pulling manifest", code: 404, details: "")');
    const task = await ended(tasks, operations.pull(REF).id);
    expect(task.status).toBe("failed");
    expect(tart.calls.filter((call) => call[0] === "pull")).toHaveLength(1);
    expect(task.pull_progress).toBeNull();
  });

  test("cancelled while waiting to retry: the wait ends at once", async () => {
    const tart = new MemoryTart();
    const { operations, tasks } = domain(tart, undefined, { pullRetry: { retries: 3, firstDelayMs: 60_000 } });
    tart.fail("pull", LOST);
    const pull = operations.pull(REF);
    while (tasks.get(pull.id)!.pull_progress?.phase !== "retrying") await Bun.sleep(1);
    expect(tasks.get(pull.id)!.pull_progress!.retry_at).toBeGreaterThan(Date.now() / 1000 + 50);
    const started = performance.now();
    const cancelled = await operations.cancel(pull.id);
    expect(performance.now() - started).toBeLessThan(500);
    expect(cancelled).toMatchObject({ status: "failed", error: "cancelled while waiting to retry the pull; nothing was left behind" });
    expect(tart.calls.filter((call) => call[0] === "pull")).toHaveLength(1);
  });

  test("a create's auto-pull is not retried (only pull_vm is)", async () => {
    const tart = new MemoryTart();
    const { operations, tasks } = domain(tart);
    tart.fail("clone", LOST);
    const task = await ended(tasks, (await operations.create({ name: "copy", source_vm: REF })).id);
    expect(task.status).toBe("failed");
    expect(task.error).toBe("The network connection was lost.");
    expect(tart.calls.filter((call) => call[0] === "clone")).toHaveLength(1);
  });
});
