// Pulls you can watch, cancel and trust, over real HTTP against the compiled server and the fake
// tart: live pull_progress (size, percent, rate, ETA) on GET and both websocket modes, cancelling
// a pull and a create's auto-pull (nothing left in the cache or tart's tmp), what cannot be
// cancelled, and the automatic retry of a pull cut off by the network (and what is not retried).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { collectSocket, startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
// Long enough to watch the "retrying" phase over HTTP; the first retry waits this, then 2×, 4×.
const RETRY_DELAY_MS = 400;

beforeAll(async () => {
  server = await startServer({ binary: true, seed: { local: 2, oci: 1 }, env: { TARTVM_PULL_RETRY_DELAY_MS: String(RETRY_DELAY_MS) } });
  await server.post("/api/vms/refresh");
});
afterAll(stopAll);

const wsUrl = (id: string, extra = "") => server.taskSocket(id, extra);
const startTask = (path: string, body: unknown = {}) => server.startTask(path, body);

/** Polls the task until `ok` holds for it. */
async function taskWhen(id: string, ok: (task: any) => boolean, what: string, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await server.get(`/api/tasks/${id}`);
    if (ok(task)) return task;
    if (Date.now() > deadline) throw new Error(`task never ${what}: ${JSON.stringify(task)}`);
    await Bun.sleep(25);
  }
}

/** What the fake (like tart) keeps on disk for a repository of the OCI cache, and in tmp/. */
const cacheEntries = (repository: string) => {
  const dir = join(server.tartHome, "cache", "OCIs", "ghcr.io", ...repository.split("/"));
  return existsSync(dir) ? readdirSync(dir) : [];
};
const tmpEntries = () => (existsSync(join(server.tartHome, "tmp")) ? readdirSync(join(server.tartHome, "tmp")) : []);
const pullsOf = (ref: string) => server.argvLog().filter((argv) => argv[0] === "pull" && argv[1] === ref).length;

describe("pull_progress", () => {
  test("a slow pull shows its size, a rising percent, then a rate and an ETA; full and delta sockets carry it", async () => {
    server.setKnobs({ pull_steps: 20, pull_interval_ms: 150 });
    const ref = "ghcr.io/cirruslabs/macos-sonoma-base:latest";
    const task = await startTask("/api/vms/pull", { oci_url: ref });
    const [full, delta] = await Promise.all([collectSocket(wsUrl(task.id)), collectSocket(wsUrl(task.id, "&mode=delta"))]);
    const polled = await taskWhen(task.id, (t) => t.status === "completed", "completed");
    server.setKnobs({});

    for (const { messages } of [full, delta]) {
      const progress = messages.map((m) => m.pull_progress).filter((p) => p !== null);
      expect(progress.length).toBeGreaterThan(3);
      const downloading = progress.filter((p) => p.phase === "disk" && p.percent !== null);
      expect(downloading.length).toBeGreaterThan(2);
      for (const p of downloading) {
        expect(p.bytes_total).toBe(24.3e9);
        expect(p.bytes_done).toBe(Math.round((p.percent / 100) * 24.3e9));
        expect(p.attempt).toBe(1);
        expect(p.retry_at).toBeNull();
      }
      const percents = downloading.map((p) => p.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(new Set(percents).size).toBeGreaterThan(2);
      expect(downloading[0].bytes_per_second).toBeNull(); // one sample is no rate yet
      const rated = downloading.filter((p) => p.bytes_per_second !== null);
      expect(rated.length).toBeGreaterThan(0);
      // 5 % of 24.3 GB every 150 ms is about 8 GB/s; allow for a loaded machine
      for (const p of rated) {
        expect(p.bytes_per_second).toBeGreaterThan(1e9);
        expect(p.bytes_per_second).toBeLessThan(3e10);
        expect(p.eta_seconds).toBe(Math.ceil((p.bytes_total - p.bytes_done) / p.bytes_per_second));
      }
      expect(messages.at(-1).pull_progress).toMatchObject({ phase: "done", percent: 100, bytes_done: 24.3e9, eta_seconds: 0, attempt: 1 });
    }
    expect(polled.pull_progress).toMatchObject({ phase: "done", percent: 100 });
    expect(polled.progress).toBe(100); // the old field is there as before
  });

  test("tasks that pull nothing have none: a local clone, and a pull of a cached image is 'cached'", async () => {
    const clone = await server.waitTask((await startTask("/api/vms/vm-0001/clone", { new_name: "plain-copy" })).id);
    expect(clone.status).toBe("completed");
    expect(clone).toHaveProperty("pull_progress", null);
    const ref = "ghcr.io/cirruslabs/pulled-twice:latest";
    expect((await server.waitTask((await startTask("/api/vms/pull", { oci_url: ref })).id)).pull_progress.phase).toBe("done");
    const cached = await server.waitTask((await startTask("/api/vms/pull", { oci_url: ref })).id);
    expect(cached.status).toBe("completed");
    expect(cached.pull_progress).toMatchObject({ phase: "cached", percent: null, bytes_total: null, attempt: 1 });
  });
});

describe("a loopback registry (plain HTTP)", () => {
  test("its pull and its create run with --insecure, shown in the task's commands; ghcr.io's do not", async () => {
    const ref = "localhost:5000/acme/ubuntu:24.04";
    const pull = await server.waitTask((await startTask("/api/vms/pull", { oci_url: ref })).id);
    expect(pull.status).toBe("completed");
    const create = await server.waitTask((await startTask("/api/vms/create", { name: "from-local-registry", source_vm: "127.0.0.1:5000/acme/alpine:3" })).id);
    expect(create.status).toBe("completed");
    const log = server.argvLog();
    expect(log).toContainEqual(["pull", ref, "--insecure"]);
    expect(log).toContainEqual(["clone", "127.0.0.1:5000/acme/alpine:3", "from-local-registry", "--insecure"]);
    expect(log.filter((argv) => argv[0] === "pull" && argv[1]!.startsWith("ghcr.io/") && argv.includes("--insecure"))).toEqual([]);
    expect(pull.command.slice(1)).toEqual(["pull", ref, "--insecure"]);
  });
});

describe("cancel", () => {
  test("mid-pull: the answer is the failed task; no cache entry and no tmp is left", async () => {
    server.setKnobs({ pull_steps: 100, pull_interval_ms: 100 });
    const ref = "ghcr.io/cirruslabs/cancel-me:latest";
    const task = await startTask("/api/vms/pull", { oci_url: ref });
    await taskWhen(task.id, (t) => t.pull_progress?.percent > 0, "downloading");
    expect(tmpEntries().length).toBeGreaterThan(0); // the download's dir, while it runs
    const started = performance.now();
    const response = await server.post(`/api/tasks/${task.id}/cancel`, {});
    expect(response.status).toBe(200);
    const cancelled = await response.json();
    expect(performance.now() - started).toBeLessThan(5000); // tart stopped on SIGINT, no SIGKILL needed
    server.setKnobs({});
    expect(cancelled.id).toBe(task.id);
    expect(cancelled.status).toBe("failed");
    expect(cancelled.error).toStartWith("cancelled");
    expect(cancelled.error).toContain("nothing was left behind");
    expect(cancelled.exit_code).toBe(1);
    expect(cancelled.logs).toContain("cancel requested");
    expect(cancelled.pull_progress.percent).toBeLessThan(100);
    expect(existsSync(join(server.tartHome, "cache", "OCIs", "ghcr.io", "cirruslabs"))).toBe(true); // the place looked at below is right
    expect(cacheEntries("cirruslabs/cancel-me").filter((name) => name !== ".fake-pull.lock")).toEqual([]);
    expect(tmpEntries()).toEqual([]);
    const vms = await server.get<any[]>("/api/vms");
    expect(vms.some((vm) => vm.name === ref)).toBe(false);
    // the same answer afterwards, from GET
    expect((await server.get(`/api/tasks/${task.id}`)).error).toBe(cancelled.error);
  });

  test("a create whose OCI source is not cached, cancelled during its pull: no VM, no cache entry, no tmp", async () => {
    server.setKnobs({ pull_steps: 100, pull_interval_ms: 100 });
    const ref = "ghcr.io/cirruslabs/cancel-clone:latest";
    const task = await startTask("/api/vms/create", { name: "half-made", source_vm: ref });
    const pulling = await taskWhen(task.id, (t) => t.pull_progress?.percent > 0, "pulling");
    expect(pulling.pull_progress).toMatchObject({ phase: "disk", bytes_total: 24.3e9, attempt: 1 });
    const response = await server.post(`/api/tasks/${task.id}/cancel`, {});
    server.setKnobs({});
    expect(response.status).toBe(200);
    const cancelled = await response.json();
    expect(cancelled).toMatchObject({ status: "failed", action: "create_vm" });
    expect(cancelled.error).toBe("cancelled; half-made was not made, so nothing was left behind");
    expect(cancelled.command.slice(1)).toEqual(["clone", ref, "half-made"]);
    expect(existsSync(join(server.tartHome, "vms", "half-made"))).toBe(false);
    expect(cacheEntries("cirruslabs/cancel-clone").filter((name) => name !== ".fake-pull.lock")).toEqual([]);
    expect(tmpEntries()).toEqual([]);
    // the name is free again
    expect((await server.get<any[]>("/api/vms")).some((vm) => vm.name === "half-made")).toBe(false);
  });

  test("a finished task, a start, an unknown task: 409, 409 and 404 with a clear detail", async () => {
    const done = await server.waitTask((await startTask("/api/vms/vm-0002/stop")).id);
    const late = await server.post(`/api/tasks/${done.id}/cancel`, {});
    expect(late.status).toBe(409);
    expect((await late.json()).detail).toContain(`Task ${done.id} has already ${done.status} and cannot be cancelled`);

    server.setKnobs({ boot_ms: 3000 });
    const start = await startTask("/api/vms/vm-0002/start");
    const refused = await server.post(`/api/tasks/${start.id}/cancel`, {});
    expect(refused.status).toBe(409);
    expect((await refused.json()).detail).toContain("a start_vm task cannot be cancelled; wait for it to end, then stop the VM");
    await server.waitTask(start.id);
    server.setKnobs({});

    const unknown = await server.post("/api/tasks/00000000-0000-4000-8000-000000000000/cancel", {});
    expect(unknown.status).toBe(404);
  });
});

describe("automatic retry", () => {
  test("one dropped connection: the pull is tried again, says so, and completes on attempt 2", async () => {
    const ref = "ghcr.io/cirruslabs/flaky-wifi:latest";
    server.setKnobs({ pull_steps: 10, pull_interval_ms: 30, pull_drop: { at: 40, times: 1 } });
    const task = await startTask("/api/vms/pull", { oci_url: ref });
    const waiting = await taskWhen(task.id, (t) => t.pull_progress?.phase === "retrying", "retrying");
    expect(waiting.pull_progress).toMatchObject({ attempt: 2, percent: null, bytes_total: 24.3e9 });
    expect(waiting.pull_progress.retry_at).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(waiting.pull_progress.retry_at).toBeLessThan(Date.now() / 1000 + RETRY_DELAY_MS / 1000 + 1);
    const done = await server.waitTask(task.id);
    server.setKnobs({});
    expect(done.status).toBe("completed");
    expect(done.pull_progress).toMatchObject({ phase: "done", percent: 100, attempt: 2, retry_at: null });
    expect(done.logs).toContain("[stderr] Error: The network connection was lost.");
    expect(done.logs).toContain(`network error (The network connection was lost.); retrying in ${RETRY_DELAY_MS} ms, attempt 2 of 4; tart starts the download again from 0%`);
    expect(pullsOf(ref)).toBe(2);
    expect(cacheEntries("cirruslabs/flaky-wifi").some((name) => name.startsWith("sha256:"))).toBe(true);
    expect(tmpEntries()).toEqual([]);
  });

  test("a network that stays down: it gives up after the retries, in tart's words", async () => {
    const ref = "ghcr.io/cirruslabs/no-wifi:latest";
    server.setKnobs({ pull_steps: 5, pull_interval_ms: 20, pull_drop: { at: 20, error: "The Internet connection appears to be offline." } });
    const task = await server.waitTask((await startTask("/api/vms/pull", { oci_url: ref })).id, 30_000);
    server.setKnobs({});
    expect(task.status).toBe("failed");
    expect(task.error).toBe("The Internet connection appears to be offline. (gave up after 4 attempts)");
    expect(task.exit_code).toBe(1);
    expect(task.pull_progress.attempt).toBe(4);
    expect(task.logs.filter((line: string) => line.startsWith("network error"))).toEqual([
      `network error (The Internet connection appears to be offline.); retrying in ${RETRY_DELAY_MS} ms, attempt 2 of 4; tart starts the download again from 0%`,
      `network error (The Internet connection appears to be offline.); retrying in ${RETRY_DELAY_MS * 2} ms, attempt 3 of 4; tart starts the download again from 0%`,
      `network error (The Internet connection appears to be offline.); retrying in ${(RETRY_DELAY_MS * 4) / 1000} s, attempt 4 of 4; tart starts the download again from 0%`,
      "network error (The Internet connection appears to be offline.); gave up after 4 attempts",
    ]);
    expect(pullsOf(ref)).toBe(4);
    expect(tmpEntries()).toEqual([]);
  }, 40_000);

  test("a missing image (registry 404) is not retried", async () => {
    const ref = "ghcr.io/cirruslabs/not-there:latest";
    server.setKnobs({ pull_missing: [ref] });
    const task = await server.waitTask((await startTask("/api/vms/pull", { oci_url: ref })).id);
    server.setKnobs({});
    expect(task.status).toBe("failed");
    expect(task.error).toContain("code: 404");
    expect(task.logs.some((line: string) => line.startsWith("network error"))).toBe(false);
    expect(pullsOf(ref)).toBe(1);
    expect(task.pull_progress).toMatchObject({ phase: "manifest", attempt: 1 });
  });

  test("cancelled while waiting to retry: it stops at once, and no further pull starts", async () => {
    const ref = "ghcr.io/cirruslabs/wait-then-cancel:latest";
    server.setKnobs({ pull_steps: 5, pull_interval_ms: 20, pull_drop: { at: 20 } });
    const task = await startTask("/api/vms/pull", { oci_url: ref });
    await taskWhen(task.id, (t) => t.pull_progress?.phase === "retrying", "retrying");
    const cancelled = await (await server.post(`/api/tasks/${task.id}/cancel`, {})).json();
    expect(cancelled).toMatchObject({ status: "failed", error: "cancelled while waiting to retry the pull; nothing was left behind" });
    await Bun.sleep(RETRY_DELAY_MS + 200);
    server.setKnobs({});
    expect(pullsOf(ref)).toBe(1);
  });
});
