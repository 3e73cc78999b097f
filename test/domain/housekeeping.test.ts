// Prune and registry logins over the in-memory tart: what each refuses before tart runs, what a
// login keeps (never the password), the locks that keep a prune off busy VMs, and GET /api/host's
// facts from the inventory and tart's home.
import { describe, expect, test } from "bun:test";
import { MemoryTart } from "../support/memory-tart.ts";
import { domain, ended } from "./fixtures.ts";

describe("prune", () => {
  test("refused without a criterion or with unknown entries; tart never runs", () => {
    const d = domain();
    expect(() => d.prune.prune({ entries: "caches" })).toThrow(/at least one pruning criterion/);
    expect(() => d.prune.prune({ entries: "all" as never, older_than_days: 1 })).toThrow(/entries: must be/);
    expect(d.tart.calls).toEqual([]);
  });

  test("its result: bytes before and after, reclaimed, and which entries went", async () => {
    const d = domain();
    d.usage.items.push({ name: "ghcr.io/a/b@sha256:1", kind: "oci", bytes: 30e9, accessed: 0 }, { name: "x.ipsw", kind: "ipsw", bytes: 15e9, accessed: 0 });
    const release = d.tart.hold("prune");
    const task = d.prune.prune({ entries: "caches", space_budget_gb: 20 });
    while (!d.tart.calls.some((c) => c[0] === "prune")) await Bun.sleep(1);
    d.usage.items.splice(0, 1); // what tart removed
    release();
    const done = await ended(d.tasks, task.id);
    expect(done.status).toBe("completed");
    expect(d.tart.calls.filter((c) => c[0] === "prune")).toEqual([["prune", "--entries", "caches", "--space-budget", "20"]]);
    expect(done.result).toMatchObject({ bytes_before: 45e9, bytes_after: 15e9, bytes_reclaimed: 30e9, removed: [{ name: "ghcr.io/a/b@sha256:1", kind: "oci", bytes: 30e9 }] });
  });

  test("a VM busy with a task blocks a prune of VMs with a 409 naming the task", async () => {
    const d = domain(new MemoryTart().add("dev"));
    await d.inventory.refresh();
    const release = d.tart.hold("stop");
    d.tart.vms.get("dev")!.state = "running";
    await d.inventory.refresh();
    const stop = await d.operations.stop("dev");
    expect(() => d.prune.prune({ entries: "vms", older_than_days: 0 })).toThrow(stop.id);
    release();
    await ended(d.tasks, stop.id);
    expect(d.tart.calls.some((c) => c[0] === "prune")).toBe(false);
  });
});

describe("registry logins", () => {
  test("the password reaches tart and nothing else: not the params, not the list", async () => {
    const d = domain();
    const task = d.registries.login({ host: "registry.example.com", username: "ci", password: "hunter2" });
    expect(task.params).toEqual({ host: "registry.example.com", username: "ci" });
    const done = await ended(d.tasks, task.id);
    expect(done.status).toBe("completed");
    expect(d.tart.logins.get("registry.example.com")).toEqual({ username: "ci", password: "hunter2" });
    expect(JSON.stringify(d.savedRegistries)).not.toContain("hunter2");
    expect(JSON.stringify(done)).not.toContain("hunter2");
    expect(d.registries.list()).toEqual([{ host: "registry.example.com", username: "ci", logged_in_at: expect.any(Number) }]);
  });

  test("hosts and usernames are checked before tart runs", () => {
    const d = domain();
    expect(() => d.registries.login({ host: "https://x.io", username: "u", password: "p" })).toThrow(/^host: /);
    expect(() => d.registries.login({ host: "x.io", username: "--help", password: "p" })).toThrow(/^username: /);
    expect(() => d.registries.login({ host: "x.io", username: "u", password: "" })).toThrow(/^password: /);
    expect(() => d.registries.logout("x.io/y")).toThrow(/^host: /);
    expect(d.tart.calls).toEqual([]);
  });

  test("a failed login cannot be retried: its password was not kept", async () => {
    const d = domain();
    d.tart.fail("login", "invalid credentials: UnexpectedHTTPStatusCode(when: \"doing ping\", code: 401, details: \"\")");
    const failed = await ended(d.tasks, d.registries.login({ host: "x.io", username: "u", password: "p" }).id);
    expect(failed.status).toBe("failed");
    expect(() => d.registries.refuseRetry(failed)).toThrow(/password was not kept/);
    expect(d.registries.list()).toEqual([]);
  });
});

describe("host facts", () => {
  test("macOS VMs running from the inventory, caches from tart's home", async () => {
    const tart = new MemoryTart().add("mac", { state: "running" }).add("linux", { state: "running", os: "linux" }).add("idle");
    const d = domain(tart);
    await d.inventory.refresh();
    d.usage.items.push({ name: "ghcr.io/a/b@sha256:1", kind: "oci", bytes: 7e9, accessed: 0 }, { name: "dev", kind: "vm", bytes: 9e9, accessed: 0 });
    await waitForOs(d);
    const facts = await d.hostReport.current();
    expect(facts.macos_vms).toEqual({ running: 1, limit: 2, names: ["mac"] });
    expect(facts.caches).toEqual({ oci_bytes: 7e9, oci_images: 1, ipsw_bytes: 0, ipsw_files: 0 });
    expect(facts.disk).toEqual({ free_bytes: 100e9, total_bytes: 500e9 });
  });
});

/** The inventory reads each VM's config (its OS) after the list: wait until it has. */
async function waitForOs(d: ReturnType<typeof domain>): Promise<void> {
  for (let i = 0; i < 200 && d.inventory.list().some((vm) => vm.os === null); i++) await Bun.sleep(5);
}
