// POST /api/tart/prune over real HTTP: the argv tart gets, what the fake tart really deletes (by
// access date and by space budget, caches and local VMs), the task's result (bytes before and
// after, reclaimed, the removed entries), retry, and every refusal a 4xx before any tart call.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
const DAY_S = 86_400;
const cacheRepo = (n: number) => join(server.tartHome, "cache", "OCIs", "ghcr.io", "cirruslabs", `seed-image-${n}`);
const digestDir = (n: number) => join(cacheRepo(n), readdirSync(cacheRepo(n)).find((name) => name.startsWith("sha256:"))!);
const ageBy = (path: string, days: number) => {
  const at = Math.floor(Date.now() / 1000) - days * DAY_S;
  utimesSync(path, at, at);
};
const pruneCalls = () => server.argvLog().filter((argv) => argv[0] === "prune");

beforeAll(async () => {
  server = await startServer({ seed: { local: 4, running: 1, oci: 3 }, knobs: { boot_ms: 1500 } });
});
afterAll(() => stopAll());

describe("refusals make no tart call", () => {
  test.each([
    [{}, 422, /^entries: /],
    [{ entries: "all", older_than_days: 1 }, 422, /^entries: must be "caches"/],
    [{ entries: "caches" }, 422, /at least one pruning criterion/],
    [{ entries: "caches", older_than_days: null, space_budget_gb: null }, 422, /at least one pruning criterion/],
    [{ entries: "caches", older_than_days: -1 }, 422, /^older_than_days: must be a whole number of days/],
    [{ entries: "caches", older_than_days: "7" }, 422, /^older_than_days: /],
    [{ entries: "caches", space_budget_gb: 1.5 }, 422, /^space_budget_gb: must be a whole number of GB/],
    [{ entries: "caches", space_budget_gb: 2_000_000 }, 422, /^space_budget_gb: /],
  ])("%j → %i", async (body, status, detail) => {
    const response = await server.post("/api/tart/prune", body);
    expect(response.status).toBe(status);
    expect((await response.json()).detail).toMatch(detail);
    expect(pruneCalls()).toEqual([]);
  });

  test("a body that is not JSON is a 415", async () => {
    const response = await server.fetch("/api/tart/prune", { method: "POST", headers: { "content-type": "text/plain" }, body: "entries=caches" });
    expect(response.status).toBe(415);
    expect(pruneCalls()).toEqual([]);
  });

  test("a VM busy with a task is a 409 naming it", async () => {
    const start = await (await server.post("/api/vms/vm-0002/start")).json();
    const response = await server.post("/api/tart/prune", { entries: "vms", older_than_days: 0 });
    expect(response.status).toBe(409);
    expect((await response.json()).detail).toContain(start.id);
    expect(pruneCalls()).toEqual([]);
    await server.waitTask(start.id);
    await server.post("/api/vms/vm-0002/stop").then((r) => r.json()).then((t) => server.waitTask(t.id));
  });
});

describe("prune", () => {
  test("caches older than 7 days: the two old images go, the recent one stays", async () => {
    ageBy(digestDir(1), 30);
    ageBy(digestDir(2), 10);
    const response = await server.post("/api/tart/prune", { entries: "caches", older_than_days: 7 });
    expect(response.status).toBe(200);
    const created = await response.json();
    expect(created.action).toBe("prune");
    const task = await server.waitTask(created.id);
    expect(task.status).toBe("completed");
    expect(task.command.slice(1)).toEqual(["prune", "--entries", "caches", "--older-than", "7"]);
    expect(pruneCalls().at(-1)).toEqual(["prune", "--entries", "caches", "--older-than", "7"]);
    const removed = task.result.removed.map((entry: { name: string }) => entry.name).sort();
    expect(removed).toEqual([1, 2].map((n) => expect.stringMatching(new RegExp(`^ghcr\\.io/cirruslabs/seed-image-${n}@sha256:[0-9a-f]{64}$`))));
    expect(task.result.bytes_before).toBeGreaterThan(task.result.bytes_after);
    expect(task.result.bytes_reclaimed).toBe(task.result.bytes_before - task.result.bytes_after);
    expect(task.result.free_bytes_after).toBeGreaterThan(0);
    expect(existsSync(digestDir(3))).toBe(true);
    const images = (await server.get<any[]>("/api/vms")).filter((vm) => vm.kind === "oci").map((vm) => vm.name);
    expect(images).toEqual(["ghcr.io/cirruslabs/seed-image-3:latest"]);
    expect(task.logs.join("\n")).toContain("$ tart prune --entries caches --older-than 7");
  });

  test("a space budget of 0 GB empties the caches, IPSWs included", async () => {
    const ipsws = join(server.tartHome, "cache", "IPSWs");
    mkdirSync(ipsws, { recursive: true });
    writeFileSync(join(ipsws, "restore.ipsw"), Buffer.alloc(200_000, 1));
    const task = await server.waitTask((await (await server.post("/api/tart/prune", { entries: "caches", space_budget_gb: 0 })).json()).id);
    expect(task.status).toBe("completed");
    expect(task.command.slice(1)).toEqual(["prune", "--entries", "caches", "--space-budget", "0"]);
    expect(task.result.removed.map((e: { kind: string }) => e.kind).sort()).toEqual(["ipsw", "oci"]);
    expect(task.result.bytes_after).toBe(0);
    expect(existsSync(join(ipsws, "restore.ipsw"))).toBe(false);
    const host = await server.get<any>("/api/host");
    expect(host.caches).toEqual({ oci_bytes: 0, oci_images: 0, ipsw_bytes: 0, ipsw_files: 0 });
  });

  test("local VMs: the stopped ones last used long ago go; the running one and the recent one stay", async () => {
    for (const name of ["vm-0003", "vm-0004"]) ageBy(join(server.tartHome, "vms", name), 100);
    ageBy(join(server.tartHome, "vms", "vm-0001"), 100); // running: tart never prunes it
    const task = await server.waitTask((await (await server.post("/api/tart/prune", { entries: "vms", older_than_days: 90 })).json()).id);
    expect(task.status).toBe("completed");
    expect(task.result.removed.map((e: { name: string }) => e.name).sort()).toEqual(["vm-0003", "vm-0004"]);
    expect(readdirSync(join(server.tartHome, "vms")).sort()).toEqual(["vm-0001", "vm-0002"]);
    const local = (await server.get<any[]>("/api/vms")).filter((vm) => vm.kind === "local").map((vm) => vm.name);
    expect(local).toEqual(["vm-0001", "vm-0002"]);
  });

  test("a failed prune says tart's words and can be retried with the same input", async () => {
    server.setKnobs({ boot_ms: 1500, fail: { prune: { stderr: "Error: The file couldn’t be removed.", exit: 1 } } });
    const failed = await server.waitTask((await (await server.post("/api/tart/prune", { entries: "caches", older_than_days: 3 })).json()).id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toBe("The file couldn’t be removed.");
    server.setKnobs({ boot_ms: 1500 });
    const retried = await (await server.post(`/api/tasks/${failed.id}/retry`)).json();
    expect(retried.action).toBe("prune");
    const done = await server.waitTask(retried.id);
    expect(done.status).toBe("completed");
    expect(done.command.slice(1)).toEqual(["prune", "--entries", "caches", "--older-than", "3"]);
  });

  test("a prune cannot be cancelled: 409 with why", async () => {
    const task = await (await server.post("/api/tart/prune", { entries: "caches", older_than_days: 1 })).json();
    const response = await server.post(`/api/tasks/${task.id}/cancel`);
    expect([409]).toContain(response.status);
    await server.waitTask(task.id);
  });
});
