// The restart policy over real HTTP and a real restart: VMs marked with POST /api/autostart are
// started by the next server after its first look at tart; one still running is left alone,
// one that is gone is reported. The CLI's `autostart` is checked against the same server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killFakeVms, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { cli } from "../cli/support.ts";

const scratch = mkdtempSync(join(tmpdir(), "autostart-"));
const dataDir = join(scratch, "data");
const tartHome = join(scratch, "tart-home");
let server: TestServer;

const boot = () => startServer({ binary: true, dataDir, tartHome, seed: undefined });

beforeAll(async () => {
  server = await startServer({ binary: true, dataDir, tartHome, seed: { local: 5, running: 0, oci: 1 } });
  await server.post("/api/vms/refresh");
}, 30_000);
afterAll(async () => {
  await stopAll();
  killFakeVms(tartHome);
  rmSync(scratch, { recursive: true, force: true });
});

describe("POST /api/autostart", () => {
  test("marks and unmarks a VM, kept in autostart.json (0600)", async () => {
    expect(await server.get("/api/autostart")).toEqual({ vms: [] });
    let response = await server.post("/api/autostart", { name: "vm-0001", enabled: true });
    expect(await response.json()).toEqual({ vms: ["vm-0001"] });
    response = await server.post("/api/autostart", { name: "vm-0003", enabled: true });
    expect(await response.json()).toEqual({ vms: ["vm-0001", "vm-0003"] });
    response = await server.post("/api/autostart", { name: "vm-0003", enabled: false });
    expect(await response.json()).toEqual({ vms: ["vm-0001"] });
    const file = join(dataDir, "autostart.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ version: 1, vms: ["vm-0001"] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test.each([
    [{ name: "nope", enabled: true }, 404, "VM nope not found"],
    [{ name: "ghcr.io/cirruslabs/seed-image-1:latest", enabled: true }, 422, "OCI image"],
    [{ name: "../etc", enabled: true }, 422, "name"],
    [{ name: "vm-0001" }, 422, "enabled"],
    [{ name: "vm-0001", enabled: "yes" }, 422, "enabled"],
  ])("%p is refused with %d", async (body, status, detail) => {
    const response = await server.post("/api/autostart", body);
    expect(response.status).toBe(status);
    expect((await response.json()).detail).toContain(detail);
  });

  test("needs the token", async () => {
    expect((await server.fetch("/api/autostart", { token: null })).status).toBe(401);
  });

  test("the CLI lists and sets it", async () => {
    const on = await cli(["autostart", "vm-0002", "on"], { dataDir });
    expect(on).toMatchObject({ code: 0, stdout: "vm-0002: autostart on\n" });
    expect((await cli(["autostart", "--json"], { dataDir })).stdout).toContain('"vm-0002"');
    expect((await cli(["autostart", "vm-0002", "off"], { dataDir })).code).toBe(0);
    expect((await cli(["autostart"], { dataDir })).stdout).toBe("vm-0001\n");
  });
});

describe("at the next start", () => {
  test("the marked VMs are started; a running one is left alone; a deleted one is reported", async () => {
    await server.post("/api/autostart", { name: "vm-0002", enabled: true });
    await server.post("/api/autostart", { name: "vm-0004", enabled: true });
    // vm-0002 runs already when the server restarts (a VM outlives its server); vm-0004 is deleted.
    expect((await server.waitTask((await server.startTask("/api/vms/vm-0002/start")).id)).status).toBe("completed");
    expect((await server.waitTask((await server.startTask("/api/vms/vm-0004/delete")).id)).status).toBe("completed");
    await server.stop();

    server = await boot();
    await server.waitForOutput("autostart: starting vm-0001", 15_000);
    await server.waitForOutput("autostart: VM vm-0004 no longer exists", 5_000);
    const starts = (await server.get<any>("/api/tasks?limit=50")).tasks.filter((task: any) => task.action === "start_vm");
    // Before the restart no test started vm-0001, and vm-0003 was unmarked: only the policy's start.
    expect(starts.filter((task: any) => task.vm_name === "vm-0001")).toHaveLength(1);
    expect(starts.filter((task: any) => task.vm_name === "vm-0003")).toHaveLength(0);
    const vm1 = starts.find((task: any) => task.vm_name === "vm-0001")!;
    expect((await server.waitTask(vm1.id)).status).toBe("completed");
    expect((await server.get<any>("/api/vms/vm-0001")).state).toBe("running");
    // Only the start this test ran itself before the restart: none by the policy.
    expect(starts.filter((task: any) => task.vm_name === "vm-0002")).toHaveLength(1);
    expect(server.output()).not.toContain("autostart: starting vm-0002");
  }, 60_000);
});
