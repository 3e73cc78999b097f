// The VM lifecycle verbs over real HTTP against the fake tart: suspend and resume, force stop,
// rename and settings. Each operation's argv is read from the fake's log, and each refusal is
// checked to be a 4xx with a clear detail that ran no tart command at all.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, stopAll, untilEveryOsKnown, type TestServer } from "../support/server-process.ts";

let server: TestServer;
const LINUX = "vm-0004"; // the seed makes every fourth VM a Linux guest

beforeAll(async () => {
  server = await startServer({ seed: { local: 8, running: 0 }, knobs: { vm_limit: 0 } });
  await server.post("/api/vms/refresh");
  // The refusals below depend on each VM's OS, which the background `tart get`s fill in.
  await untilEveryOsKnown(server);
}, 30_000);
afterAll(stopAll);

const vm = (name: string) => server.get(`/api/vms/${name}`);

/** POSTs and returns the status, the body, and the tart commands the request ran. */
async function post(path: string, body?: unknown) {
  const before = server.argvLog().length;
  const response = await server.post(path, body);
  const json = await response.json();
  await Bun.sleep(50); // a command the request started would have been logged by now
  return { status: response.status, json, ran: server.argvLog().slice(before) };
}

/** A refusal: the status, a detail matching `detail`, and no tart command. */
async function refused(path: string, body: unknown, status: number, detail: RegExp) {
  const { status: got, json, ran } = await post(path, body);
  expect({ got, detail: json.detail }).toMatchObject({ got: status, detail: expect.stringMatching(detail) });
  expect(ran.filter((argv) => !["list", "ip", "get"].includes(argv[0]!))).toEqual([]);
}

async function runTask(path: string, body?: unknown) {
  const response = await server.post(path, body);
  expect(response.status).toBe(200);
  return server.waitTask((await response.json()).id, 30_000);
}

async function stopIfRunning(name: string) {
  const now = await vm(name);
  if (now.state !== "stopped") expect((await runTask(`/api/vms/${name}/stop`)).status).toBe("completed");
}

describe("suspend and resume", () => {
  test("a VM started suspendable is suspended, then resumed by a start", async () => {
    const started = await runTask("/api/vms/vm-0001/start", { suspendable: true });
    expect(started.status).toBe("completed");
    expect(started.command.slice(1)).toEqual(["run", "--vnc", "--no-graphics", "--suspendable", "vm-0001"]);
    expect(started.result).toMatchObject({ suspendable: true, resumed: false });
    expect(await vm("vm-0001")).toMatchObject({ state: "running", suspendable: true });

    const suspended = await runTask("/api/vms/vm-0001/suspend", {});
    expect(suspended.status).toBe("completed");
    expect(suspended.action).toBe("suspend_vm");
    expect(suspended.command.slice(1)).toEqual(["suspend", "vm-0001"]);
    expect(suspended.logs).toContain("snapshot created successfully! shutting down the VM...");
    expect(suspended.result.message).toBe("VM vm-0001 suspended");
    expect(await vm("vm-0001")).toMatchObject({ state: "suspended", status: "stopped", suspendable: null });

    const resumed = await runTask("/api/vms/vm-0001/start");
    expect(resumed.status).toBe("completed");
    expect(resumed.command.slice(1)).toEqual(["run", "--vnc", "--no-graphics", "vm-0001"]);
    expect(resumed.logs).toContain("restoring VM state from a snapshot...");
    expect(resumed.result).toMatchObject({ message: "VM vm-0001 resumed", resumed: true, suspendable: true });
    // tart can suspend a VM resumed from a snapshot again.
    expect(await vm("vm-0001")).toMatchObject({ state: "running", suspendable: true });
    await stopIfRunning("vm-0001");
  }, 60_000);

  test("a suspended VM resumed with the console is seen as resumed, and can be suspended again", async () => {
    expect((await runTask("/api/vms/vm-0003/start", { suspendable: true })).status).toBe("completed");
    expect((await runTask("/api/vms/vm-0003/suspend", {})).status).toBe("completed");
    const resumed = await runTask("/api/vms/vm-0003/start", { console: true });
    expect(resumed.status).toBe("completed");
    expect(resumed.command.slice(1)).toEqual(["run", "--no-graphics", "--vnc-experimental", "vm-0003"]);
    expect(resumed.logs).toContain("restoring VM state from a snapshot...");
    expect(resumed.result).toMatchObject({ message: "VM vm-0003 resumed", resumed: true, suspendable: true, console: "ready" });
    expect(await vm("vm-0003")).toMatchObject({ state: "running", suspendable: true });
    await stopIfRunning("vm-0003");
  }, 60_000);

  test("{} starts as before, and such a VM is refused a suspend before tart", async () => {
    const empty = await runTask("/api/vms/vm-0002/start", {});
    expect(empty.command.slice(1)).toEqual(["run", "--vnc", "--no-graphics", "vm-0002"]);
    expect(empty.result.suspendable).toBe(false);
    expect((await vm("vm-0002")).suspendable).toBe(false);
    await refused("/api/vms/vm-0002/suspend", {}, 409, /^vm-0002 cannot be suspended: only a VM started suspendable can be, and this server started it without/);
    await stopIfRunning("vm-0002");
  }, 60_000);

  test("refusals: a Linux VM, a VM that does not run, an image, a bad body", async () => {
    await refused(`/api/vms/${LINUX}/start`, { suspendable: true }, 422, /^suspendable: only macOS VMs can be suspended, and vm-0004 is a Linux VM$/);
    await refused(`/api/vms/${LINUX}/suspend`, {}, 422, /only macOS VMs can be suspended/);
    await refused("/api/vms/vm-0003/suspend", {}, 409, /^vm-0003 is not running \(it is stopped\): only a running VM can be suspended$/);
    await refused("/api/vms/vm-0003/start", { suspendable: "yes" }, 422, /^suspendable: must be true or false/);
    await refused("/api/vms/vm-0003/stop", { force: 1 }, 422, /^force: must be true or false/);
    await refused("/api/vms/vm-0003/start", [], 422, /^body: must be a JSON object, \{\} or \{"suspendable": true\}$/);
    await refused("/api/vms/nosuch/suspend", {}, 404, /VM nosuch not found/);
    await refused("/api/vms/ghcr.io%2Fcirruslabs%2Fx%3Alatest/suspend", {}, 409, /is an OCI image/);
  });
});

describe("force stop", () => {
  test("a stop that hangs is taken over: tart stop --timeout 0, a countdown, then the run is killed", async () => {
    expect((await runTask("/api/vms/vm-0005/start")).status).toBe("completed");
    server.setKnobs({ vm_limit: 0, hang: "stop" });
    try {
      const graceful = await (await server.post("/api/vms/vm-0005/stop", {})).json();
      await Bun.sleep(300);
      const { status, json: force } = await post("/api/vms/vm-0005/stop", { force: true });
      expect(status).toBe(200);
      expect(force.action).toBe("stop_vm");
      expect((await vm("vm-0005")).active_task_id).toBe(force.id);
      const cancelled = await server.waitTask(graceful.id);
      expect(cancelled).toMatchObject({ status: "failed", error: "cancelled; a force stop took over" });
      const done = await server.waitTask(force.id, 30_000);
      expect(done.status).toBe("completed");
      expect(done.result).toMatchObject({ forced: true, killed: true });
      expect(done.logs.some((line: string) => line.includes("tart stop --timeout 0 vm-0005"))).toBe(true);
      expect(done.logs.filter((line: string) => /is still running; killing it in \d s$/.test(line))).toHaveLength(3);
      expect(server.argvLog().filter((argv) => argv[0] === "stop").slice(-2)).toEqual([
        ["stop", "--timeout", "30", "vm-0005"],
        ["stop", "--timeout", "0", "vm-0005"],
      ]);
    } finally {
      server.setKnobs({ vm_limit: 0 });
    }
    expect((await vm("vm-0005")).state).toBe("stopped");
  }, 60_000);

  test("a VM that ignores the graceful stop is stopped at once by tart stop --timeout 0", async () => {
    expect((await runTask("/api/vms/vm-0006/start")).status).toBe("completed");
    server.setKnobs({ vm_limit: 0, run_ignore_sigint: true });
    try {
      const done = await runTask("/api/vms/vm-0006/stop", { force: true });
      expect(done.status).toBe("completed");
      expect(done.command.slice(1)).toEqual(["stop", "--timeout", "0", "vm-0006"]);
      expect(done.result).toMatchObject({ forced: true, killed: false });
    } finally {
      server.setKnobs({ vm_limit: 0 });
    }
    expect((await vm("vm-0006")).state).toBe("stopped");
  }, 30_000);
});

describe("rename", () => {
  test("tart rename moves a stopped VM to its new name", async () => {
    const done = await runTask("/api/vms/vm-0007/rename", { new_name: "renamed-7" });
    expect(done.status).toBe("completed");
    expect(done.action).toBe("rename_vm");
    expect(done.command.slice(1)).toEqual(["rename", "vm-0007", "renamed-7"]);
    expect(done.result).toMatchObject({ name: "renamed-7" });
    const names = (await server.get<any[]>("/api/vms")).map((entry) => entry.name);
    expect(names).toContain("renamed-7");
    expect(names).not.toContain("vm-0007");
  });

  test("refusals: a taken name in any case, a running VM, a bad or same name, an image", async () => {
    await refused("/api/vms/vm-0003/rename", { new_name: "VM-0002" }, 409, /^A VM named "vm-0002" already exists/);
    await refused("/api/vms/vm-0003/rename", { new_name: "-x" }, 422, /^new_name: "-x" is not a valid VM name/);
    await refused("/api/vms/vm-0003/rename", { new_name: "VM-0003" }, 422, /^new_name: "VM-0003" differs from "vm-0003" only in case/);
    await refused("/api/vms/vm-0003/rename", {}, 422, /^new_name: must be a VM name/);
    await refused("/api/vms/ghcr.io%2Fcirruslabs%2Fx%3Alatest/rename", { new_name: "x" }, 422, /only local VMs can be renamed/);
    expect((await runTask("/api/vms/vm-0003/start")).status).toBe("completed");
    await refused("/api/vms/vm-0003/rename", { new_name: "other" }, 409, /^vm-0003 is running: stop it before renaming it/);
    await stopIfRunning("vm-0003");
  }, 30_000);
});

describe("settings", () => {
  test("one tart set with every setting, in tart's order, and the config shows them", async () => {
    const done = await runTask("/api/vms/vm-0008/settings", {
      cpu: 2,
      memory: 6,
      display: "1920x1080px",
      disk_size: 60,
      random_mac: true,
      random_serial: false,
    });
    expect(done.status).toBe("completed");
    expect(done.action).toBe("settings_vm");
    expect(done.command.slice(1)).toEqual(["set", "vm-0008", "--cpu", "2", "--memory", "6144", "--display", "1920x1080px", "--random-mac", "--disk-size", "60"]);
    // vm-0008 is a Linux guest (every fourth), so 2 cores are allowed.
    const config = await server.get("/api/vms/vm-0008/config?force_refresh=true");
    expect(config).toMatchObject({ cpu: 2, memory: "6G", disk_size: "60G", display: "1920x1080px" });
  });

  test("cpu, memory and display may change while the VM runs; the message says when they apply", async () => {
    expect((await runTask("/api/vms/vm-0002/start")).status).toBe("completed");
    const done = await runTask("/api/vms/vm-0002/settings", { memory: 6, display: "1440x900pt" });
    expect(done.status).toBe("completed");
    expect(done.command.slice(1)).toEqual(["set", "vm-0002", "--memory", "6144", "--display", "1440x900pt"]);
    expect(done.result.message).toBe("vm-0002 now has 6 GB of memory, display 1440x900pt; the running VM gets them at its next start");
    await refused("/api/vms/vm-0002/settings", { disk_size: 90 }, 409, /^vm-0002 is running: stop it before changing disk_size; cpu, memory and display/);
    await refused("/api/vms/vm-0002/settings", { memory: 4, random_mac: true, random_serial: true }, 409, /stop it before changing random_mac or random_serial/);
    await stopIfRunning("vm-0002");
  }, 30_000);

  test("refusals before tart: a disk that does not grow, the host's size, a macOS guest's minimum, the display, an empty or unknown body", async () => {
    const health = await server.get("/api/health");
    await refused("/api/vms/vm-0003/settings", { disk_size: 50 }, 422, /^disk_size: vm-0003's disk is 50 GB and tart can only grow a disk: give more than 50$/);
    await refused("/api/vms/vm-0003/settings", { disk_size: 20 }, 422, /^disk_size: vm-0003's disk is 50 GB/);
    await refused("/api/vms/vm-0003/settings", { cpu: health.host.cpu_cores + 1 }, 422, /^cpu: the host has \d+ cores; a VM cannot have more$/);
    await refused("/api/vms/vm-0003/settings", { memory: 0 }, 422, /^memory: must be an integer from 1 to 512/);
    await refused("/api/vms/vm-0003/settings", { display: "big" }, 422, /^display: must be WIDTHxHEIGHT such as 1920x1080/);
    await refused("/api/vms/vm-0003/settings", { display: "1920x1080em" }, 422, /^display: must be WIDTHxHEIGHT/);
    await refused("/api/vms/vm-0003/settings", {}, 422, /^body: give at least one of cpu, memory, display, disk_size, random_mac, random_serial/);
    await refused("/api/vms/vm-0003/settings", { random_mac: false }, 422, /^body: give at least one of/);
    await refused("/api/vms/vm-0003/settings", { memroy: 8 }, 422, /^memroy: is not a setting; give any of cpu, memory, display, disk_size, random_mac, random_serial$/);
    await refused("/api/vms/vm-0003/settings", { cpu: 2 }, 422, /^cpu: a macOS VM needs at least 4 cores$/); // tart's LessThanMinimalResourcesError
    await refused("/api/vms/vm-0003/settings", { memory: 3 }, 422, /^memory: a macOS VM needs at least 4 GB of memory$/);
    await refused(`/api/vms/${LINUX}/settings`, { random_serial: true }, 422, /^random_serial: only macOS VMs have a serial number, and vm-0004 is a Linux VM$/);
    await refused("/api/vms/ghcr.io%2Fcirruslabs%2Fx%3Alatest/settings", { cpu: 4 }, 409, /is an OCI image/);
  });

  test("a suspended VM keeps its hardware: every setting is refused", async () => {
    expect((await runTask("/api/vms/vm-0001/start", { suspendable: true })).status).toBe("completed");
    expect((await runTask("/api/vms/vm-0001/suspend")).status).toBe("completed");
    await refused("/api/vms/vm-0001/settings", { display: "800x600" }, 409, /^vm-0001 is suspended: a saved state resumes only on the hardware it was saved on/);
    // A stop discards the saved state (tart's own behaviour): then it can be changed.
    expect((await runTask("/api/vms/vm-0001/stop")).status).toBe("completed");
    expect((await vm("vm-0001")).state).toBe("stopped");
  }, 60_000);

  test("a failed settings task is retried with the same body", async () => {
    server.setKnobs({ vm_limit: 0, fail: { set: { stderr: "Error: something odd", exit: 1 } } });
    const failed = await runTask("/api/vms/vm-0003/settings", { memory: 5 });
    server.setKnobs({ vm_limit: 0 });
    expect(failed.status).toBe("failed");
    const retried = await (await server.post(`/api/tasks/${failed.id}/retry`)).json();
    const done = await server.waitTask(retried.id);
    expect(done.status).toBe("completed");
    expect(done.command.slice(1)).toEqual(["set", "vm-0003", "--memory", "5120"]);
  });
});
