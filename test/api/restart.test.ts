// Nothing lost across restarts: task history survives, tasks cut off by a SIGKILL are marked
// failed and can be retried, VMs started with `tart run` keep running and are found again, and
// the token can be rotated while the server runs.
import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { chmodSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedTartHome } from "../support/fake-tart/seed.ts";
import { collectSocket, killFakeVms, ROOT, startServer, stopAll } from "../support/server-process.ts";

const scratch = mkdtempSync(join(tmpdir(), "taartenfabriek-restart-"));
const dataDir = join(scratch, "data");
const tartHome = join(scratch, "tart-home");
seedTartHome({ home: tartHome, local: 2, oci: 0 });
afterAll(async () => {
  await stopAll();
  killFakeVms(tartHome);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("restarts", () => {
  let startedPid = 0;
  let historyId = "";
  let killedPullId = "";

  test("a started VM outlives a graceful stop; history is kept", async () => {
    const server = await startServer({ dataDir, tartHome });
    await server.post("/api/vms/refresh");
    const start = await server.waitTask((await (await server.post("/api/vms/vm-0001/start")).json()).id);
    expect(start.status).toBe("completed");
    startedPid = start.result.pid;
    historyId = start.id;
    expect(await server.stop("SIGTERM")).toBe(0);
    expect(alive(startedPid)).toBe(true);
  });

  test("after the restart the VM is found running with its IP, and the task is still there", async () => {
    const server = await startServer({ dataDir, tartHome });
    const refreshed = await (await server.post("/api/vms/refresh")).json();
    const vm = refreshed.find((v: any) => v.name === "vm-0001");
    expect(vm.status).toBe("running");
    expect(vm.ip_address).toMatch(/^192\.168\.64\.\d+$/);
    const task = await server.get(`/api/tasks/${historyId}`);
    expect(task.status).toBe("completed");
    expect(task.result.ip_address).toBe(vm.ip_address);
    const history = await server.get("/api/tasks?limit=10");
    expect(history.tasks.map((t: any) => t.id)).toContain(historyId);
    await server.stop();
  });

  test("SIGKILL mid-pull: the task is 'interrupted by server restart' and a retry completes it", async () => {
    const server = await startServer({ dataDir, tartHome, knobs: { pull_steps: 100, pull_interval_ms: 100 } });
    const ref = "ghcr.io/cirruslabs/macos-sequoia-base:latest";
    const pull = await (await server.post("/api/vms/pull", { oci_url: ref })).json();
    killedPullId = pull.id;
    for (let i = 0; i < 100; i++) {
      const task = await server.get(`/api/tasks/${pull.id}`);
      if (task.progress !== null && task.progress >= 2) break;
      await Bun.sleep(50);
    }
    await Bun.sleep(1100); // the log tail is saved at most once a second
    await server.stop("SIGKILL");

    const again = await startServer({ dataDir, tartHome, knobs: { pull_steps: 3, pull_interval_ms: 20 } });
    await again.waitForOutput("cut off by the last shutdown"); // a warning: stderr
    const task = await again.get(`/api/tasks/${killedPullId}`);
    expect(task.status).toBe("failed");
    expect(task.error).toBe("interrupted by server restart");
    expect(task.logs.length).toBeGreaterThan(0);
    const retry = await (await again.post(`/api/tasks/${killedPullId}/retry`)).json();
    expect((await again.waitTask(retry.id)).status).toBe("completed");
    await again.stop();
  });

  test("SIGTERM mid-task: websockets are closed with 1001, the task is recorded as interrupted", async () => {
    const server = await startServer({ dataDir, tartHome, knobs: { pull_steps: 100, pull_interval_ms: 100 } });
    const pull = await (await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/ubuntu:latest" })).json();
    const closed = collectSocket(`${server.base.replace("http", "ws")}/ws/tasks/${pull.id}?token=${server.token}`);
    await Bun.sleep(300);
    expect(await server.stop("SIGTERM")).toBe(0);
    const { code, messages } = await closed;
    expect(code).toBe(1001);
    expect(messages.length).toBeGreaterThan(0);
    const again = await startServer({ dataDir, tartHome });
    const task = await again.get(`/api/tasks/${pull.id}`);
    expect(task.status).toBe("failed");
    expect(task.error).toContain("interrupted by server shutdown");
    await again.stop();
  });

  test("retry checks a stored task's input by today's rules: 422 with the detail, no tart call", async () => {
    const server = await startServer({ dataDir, tartHome, knobs: { fail: { set: { stderr: "refused", exit: 1 } } } });
    await server.post("/api/vms/refresh");
    const create = await (await server.post("/api/vms/create", { name: "resized", source_vm: "vm-0002", memory: 8 })).json();
    expect((await server.waitTask(create.id)).status).toBe("failed");
    await server.stop();
    // A task stored by an older server, or edited on disk, asks for what the routes refuse.
    const db = new Database(join(dataDir, "taartenfabriek.sqlite"));
    db.run("UPDATE tasks SET params = json_set(params, '$.cpu', 99999) WHERE id = ?", [create.id]);
    db.close();
    const again = await startServer({ dataDir, tartHome });
    const before = again.argvLog().length;
    const retry = await again.post(`/api/tasks/${create.id}/retry`);
    expect(retry.status).toBe(422);
    // The same answer as the route gives that input today.
    const fresh = await again.post("/api/vms/create", { name: "resized", source_vm: "vm-0002", memory: 8, cpu: 99999 });
    expect(fresh.status).toBe(422);
    const detail = (await fresh.json()).detail;
    expect(detail).toStartWith("cpu: must be an integer from 1 to 64");
    expect((await retry.json()).detail).toBe(detail);
    const calls = again.argvLog().slice(before).map((argv) => argv[0]);
    expect(calls.filter((command) => ["clone", "set", "delete"].includes(command!))).toEqual([]);
    await again.stop();
  });

  test("token --rotate: the running server refuses the old token within a second or two", async () => {
    const server = await startServer({ dataDir, tartHome });
    const old = server.token;
    const rotate = Bun.spawnSync([process.execPath, join(ROOT, "src", "main.ts"), "token", "--rotate", "--data-dir", dataDir]);
    expect(rotate.exitCode).toBe(0);
    const fresh = rotate.stdout.toString().trim();
    expect(fresh).not.toBe(old);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dataDir, "token")).mode & 0o777).toBe(0o600);
    let status = 0;
    for (let i = 0; i < 40; i++) {
      status = (await server.fetch("/api/health", { token: old })).status;
      if (status === 401) break;
      await Bun.sleep(100);
    }
    expect(status).toBe(401);
    expect((await server.fetch("/api/health", { token: fresh })).status).toBe(200);
    expect(server.output()).not.toContain(fresh); // never logged
    await server.stop();
  });

  test("loose permissions found at start are tightened, with a warning", async () => {
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, "token"), 0o644);
    const server = await startServer({ dataDir, tartHome });
    await server.waitForOutput("tightened"); // a warning: stderr
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, "token")).mode & 0o777).toBe(0o600);
    await server.stop();
  });
});
