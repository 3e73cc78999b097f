// When tart is missing, hangs, crashes or prints garbage: clear errors, the server keeps serving,
// and the inventory keeps its last good state, marked stale.
import { afterAll, describe, expect, test } from "bun:test";
import { bunBinDir, FAKE_TART, startServer, stopAll } from "../support/server-process.ts";

afterAll(stopAll);

describe("tart missing", () => {
  test("the server starts, health says so, and routes needing tart answer 503 with how to install it", async () => {
    const server = await startServer({ tart: null });
    expect(await server.waitForOutput("tart was not found")).toContain("warning: tart was not found");
    const health = await server.get("/api/health");
    expect(health.status).toBe("ok");
    expect(health.tart.available).toBe(false);
    expect(health.tart.error).toContain("brew install cirruslabs/cli/tart");
    // The host's size is known without tart: the UI checks CPU and memory against it.
    const { availableParallelism, totalmem } = await import("node:os");
    expect(health.host).toEqual({ cpu_cores: availableParallelism(), memory_gb: Math.floor(totalmem() / 1024 ** 3) });
    for (const [method, path, body] of [
      ["GET", "/api/tart/version", undefined],
      ["POST", "/api/vms/refresh", {}],
      ["POST", "/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/macos-sequoia-base:latest" }],
      ["POST", "/api/vms/create", { name: "x", source_vm: "ghcr.io/cirruslabs/macos-sequoia-base:latest" }],
    ] as const) {
      const response = await server.fetch(path, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status).toBe(503);
      expect((await response.json()).detail).toContain("tart");
    }
    expect(await server.get("/api/vms")).toEqual([]);
    await server.stop();
  });

  test("a --tart path that does not exist is reported the same way", async () => {
    const server = await startServer({ tart: "/nonexistent/tart" });
    expect((await server.fetch("/api/tart/version")).status).toBe(503);
    await server.stop();
  });
});

describe("tart misbehaving", () => {
  test("a hanging tart is killed at its timeout and the task says so", async () => {
    const server = await startServer({ seed: { local: 2 }, env: { TARTVM_TART_TIMEOUTS: JSON.stringify({ list: 800, delete: 800 }) } });
    await server.post("/api/vms/refresh");
    server.setKnobs({ hang: ["delete"] });
    const task = await (await server.post("/api/vms/vm-0002/delete")).json();
    const done = await server.waitTask(task.id);
    expect(done.status).toBe("failed");
    expect(done.error).toBe("tart delete timed out after 0.8 s and was killed");
    server.setKnobs({ hang: ["list"] });
    const started = performance.now();
    const refresh = await server.post("/api/vms/refresh");
    expect(refresh.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(5000);
    const health = await server.get("/api/health");
    expect(health.inventory.stale).toBe(true);
    expect(health.inventory.error).toContain("timed out");
    expect((await server.get<any[]>("/api/vms")).length).toBe(2); // last good state kept
    await server.stop();
  });

  test("garbage output is a 502 with detail; the inventory keeps its last good state", async () => {
    const server = await startServer({ seed: { local: 2 } });
    await server.post("/api/vms/refresh");
    server.setKnobs({ garbage: ["list", "get"] });
    const refresh = await server.post("/api/vms/refresh");
    expect(refresh.status).toBe(502);
    expect((await refresh.json()).detail).toContain("not JSON");
    expect((await server.get<any[]>("/api/vms")).length).toBe(2);
    expect((await server.get("/api/health")).inventory.stale).toBe(true);
    const config = await server.fetch("/api/vms/vm-0001/config?force_refresh=true");
    expect(config.status).toBe(502);
    server.setKnobs({ garbage: [] });
    expect((await server.post("/api/vms/refresh")).status).toBe(200);
    expect((await server.get("/api/health")).inventory.stale).toBe(false);
    await server.stop();
  });

  test("a crashing tart fails the task with a clear error; the server keeps serving", async () => {
    const server = await startServer({ seed: { local: 2 } });
    await server.post("/api/vms/refresh");
    server.setKnobs({ crash: ["clone"] });
    const task = await (await server.post("/api/vms/vm-0001/clone", { new_name: "crashy" })).json();
    const done = await server.waitTask(task.id);
    expect(done.status).toBe("failed");
    expect(done.error).toBeTruthy();
    expect((await server.fetch("/api/health")).status).toBe(200);
    await server.stop();
  });

  test("a tart that exits early on run (VM limit) fails the start with tart's message", async () => {
    const server = await startServer({ seed: { local: 1 } });
    await server.post("/api/vms/refresh");
    const limit = "The number of VMs exceeds the system limit (other running VMs: a, b)";
    server.setKnobs({ run_fail: { stderr: limit, exit: 1 } });
    const task = await (await server.post("/api/vms/vm-0001/start")).json();
    const done = await server.waitTask(task.id, 5000);
    expect(done.status).toBe("failed");
    expect(done.error).toContain(limit);
    expect(done.exit_code).toBe(1);
    await server.stop();
  });

  test("a VM that ran before still has its DHCP lease: a dying tart run is not reported as started", async () => {
    const server = await startServer({ seed: { local: 1 } });
    await server.post("/api/vms/refresh");
    const first = await server.waitTask((await (await server.post("/api/vms/vm-0001/start")).json()).id);
    expect(first.status).toBe("completed");
    await server.waitTask((await (await server.post("/api/vms/vm-0001/stop")).json()).id);
    const lease = Bun.spawnSync([FAKE_TART, "ip", "vm-0001"], { env: { PATH: `${bunBinDir()}:/usr/bin:/bin`, TART_HOME: server.tartHome } });
    expect(lease.stdout.toString().trim()).toBe(first.result.ip_address); // tart ip still answers
    // tart run dies 300 ms in (as the VM limit does, after building the VM); tart ip answers first.
    server.setKnobs({ run_fail: { stderr: "The number of VMs exceeds the system limit", exit: 1 }, run_exit_after_ms: 300 });
    for (let round = 0; round < 3; round++) {
      const done = await server.waitTask((await (await server.post("/api/vms/vm-0001/start")).json()).id, 5000);
      expect(done.status).toBe("failed");
      expect(done.error).toContain("exceeds the system limit");
    }
    await server.stop();
  });
});
