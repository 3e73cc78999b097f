// Concurrent operations: different VMs run together, one VM is never acted on twice at once,
// two clones to one new name cannot both proceed, and many clones of one base image may.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
beforeAll(async () => {
  // The seed makes every 4th VM Linux (vm-0004, vm-0008, …); the rest are macOS.
  server = await startServer({ seed: { local: 16 } });
  await server.post("/api/vms/refresh");
});
afterAll(stopAll);

describe("concurrency", () => {
  test("starting 6 VMs at once (2 macOS, 4 Linux): all complete, each with its own IP", async () => {
    const names = ["vm-0001", "vm-0002", "vm-0004", "vm-0008", "vm-0012", "vm-0016"];
    const responses = await Promise.all(names.map((name) => server.post(`/api/vms/${name}/start`)));
    expect(responses.map((r) => r.status)).toEqual(names.map(() => 200));
    const tasks = await Promise.all(responses.map(async (r) => server.waitTask((await r.json()).id, 30_000)));
    expect(tasks.map((t) => t.status)).toEqual(names.map(() => "completed"));
    expect(new Set(tasks.map((t) => t.result.ip_address)).size).toBe(names.length);
  });

  test("a third macOS VM fails with the Virtualization.framework limit in tart's words", async () => {
    const task = await server.waitTask((await (await server.post("/api/vms/vm-0003/start")).json()).id);
    expect(task.status).toBe("failed");
    expect(task.error).toContain("The number of VMs exceeds the system limit");
    for (const name of ["vm-0001", "vm-0002"]) await server.waitTask((await (await server.post(`/api/vms/${name}/stop`)).json()).id);
  });

  test("delete or stop while a VM is starting is 409 naming the task", async () => {
    server.setKnobs({ boot_ms: 800 });
    const start = await (await server.post("/api/vms/vm-0007/start")).json();
    for (const action of ["delete", "stop", "start"]) {
      const response = await server.post(`/api/vms/vm-0007/${action}`);
      expect(response.status).toBe(409);
      expect((await response.json()).detail).toContain(start.id);
    }
    const vm = await server.get("/api/vms/vm-0007");
    expect(vm.active_task_id).toBe(start.id);
    await server.waitTask(start.id);
    server.setKnobs({ boot_ms: 150 });
    expect((await server.get("/api/vms/vm-0007")).active_task_id).toBeNull();
  });

  test("two clones to one new name at once: exactly one proceeds", async () => {
    server.setKnobs({ latency_ms: { clone: 400 } });
    const [a, b] = await Promise.all([
      server.post("/api/vms/vm-0001/clone", { new_name: "twin" }),
      server.post("/api/vms/vm-0002/clone", { new_name: "TWIN" }), // one VM on a case-insensitive disk
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = await (a.status === 200 ? a : b).json();
    expect((await server.waitTask(winner.id)).status).toBe("completed");
    server.setKnobs({ latency_ms: 0 });
  });

  test("many clones of one source run together", async () => {
    server.setKnobs({ latency_ms: { clone: 300 } });
    const responses = await Promise.all([1, 2, 3, 4].map((i) => server.post("/api/vms/vm-0008/clone", { new_name: `copy-${i}` })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const tasks = await Promise.all(responses.map(async (r) => server.waitTask((await r.json()).id)));
    expect(tasks.every((t) => t.status === "completed")).toBe(true);
    server.setKnobs({ latency_ms: 0 });
    const names = (await server.get<any[]>("/api/vms")).map((vm) => vm.name);
    for (const i of [1, 2, 3, 4]) expect(names).toContain(`copy-${i}`);
  });

  test("100 concurrent reads while tasks run all answer 200", async () => {
    const task = await (await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/debian:latest" })).json();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => server.fetch(i % 2 ? "/api/vms" : `/api/tasks/${task.id}`).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await server.waitTask(task.id);
  });
});
