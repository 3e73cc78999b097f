// Creating a VM from scratch over real HTTP against the fake tart: POST /api/vms/create with
// from_ipsw or linux instead of source_vm. macOS from an IPSW is a long task whose progress
// (lookup, download, install) is read from tart's lines into the Task; Linux is quick. Bad
// requests are refused before tart runs; the body with source_vm keeps working as before.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectSocket, startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "create-scratch-"));
  server = await startServer({ seed: { local: 2, running: 0 }, knobs: { pull_steps: 4, pull_interval_ms: 150 } });
  await server.post("/api/vms/refresh");
}, 30_000);
afterAll(async () => {
  await stopAll();
  rmSync(scratch, { recursive: true, force: true });
});

async function refused(body: unknown, status: number, detail: RegExp) {
  const before = server.argvLog().length;
  const response = await server.post("/api/vms/create", body);
  const json = await response.json();
  expect({ status: response.status, detail: json.detail }).toMatchObject({ status, detail: expect.stringMatching(detail) });
  await Bun.sleep(50);
  expect(server.argvLog().slice(before).filter((argv) => !["list", "ip", "get"].includes(argv[0]!))).toEqual([]);
}

describe("create from scratch", () => {
  test("macOS from the latest IPSW: tart create's download and install progress reach the task", async () => {
    const task = await server.startTask("/api/vms/create", { name: "fresh-mac", from_ipsw: "latest", disk_size: 80, memory: 4 });
    expect(task).toMatchObject({ action: "create_vm", vm_name: "fresh-mac" });
    const socket = await collectSocket(server.taskSocket(task.id), 30_000);
    const phases = socket.messages.map((m) => m.install_progress?.phase).filter(Boolean);
    // The lookup is over at once (coalesced away); the download and the install each take a while.
    expect([...new Set(phases)].filter((phase) => phase !== "lookup")).toEqual(["download", "install", "done"]);
    const overall = socket.messages.map((m) => m.progress).filter((p) => typeof p === "number");
    // One run of 0…100% per phase in tart's output; the task's progress only climbs.
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    expect(overall.at(-1)).toBe(100);
    const done = await server.waitTask(task.id);
    expect(done.status).toBe("completed");
    expect(done.install_progress).toMatchObject({ phase: "done", percent: 100, ipsw: "UniversalMac_15.5_24F74_Restore.ipsw" });
    expect(done.logs.slice(1, 3)).toEqual(["Looking up the latest supported IPSW...", "Fetching UniversalMac_15.5_24F74_Restore.ipsw..."]);
    expect(done.result).toMatchObject({ name: "fresh-mac", os: "darwin", disk_size: "80G", disk_format: "raw", memory: "4G" });
    const ran = server.argvLog().filter((argv) => argv[0] === "create" || (argv[0] === "set" && argv[1] === "fresh-mac"));
    expect(ran).toEqual([
      ["create", "fresh-mac", "--from-ipsw", "latest", "--disk-size", "80"],
      ["set", "fresh-mac", "--memory", "4096"],
    ]);
    const vm = await server.get("/api/vms/fresh-mac/config?force_refresh=true");
    expect(vm).toMatchObject({ cpu: 4, memory: "4G", disk_size: "80G" });
    expect(vm.raw.OS).toBe("darwin");
  }, 30_000);

  test("a second IPSW create uses tart's cached IPSW", async () => {
    const task = await server.startTask("/api/vms/create", { name: "second-mac", from_ipsw: "latest" });
    const done = await server.waitTask(task.id, 30_000);
    expect(done.status).toBe("completed");
    expect(done.logs).toContain("Using cached UniversalMac_15.5_24F74_Restore.ipsw file...");
    expect(done.install_progress.ipsw).toBe("UniversalMac_15.5_24F74_Restore.ipsw");
  }, 30_000);

  test("Linux with a disk size and format; an IPSW file on this host", async () => {
    const linux = await server.waitTask((await server.startTask("/api/vms/create", { name: "fresh-linux", linux: true, disk_size: 20, disk_format: "asif" })).id);
    expect(linux.status).toBe("completed");
    expect(linux.command.slice(1)).toEqual(["create", "fresh-linux", "--linux", "--disk-size", "20", "--disk-format", "asif"]);
    expect(linux.install_progress).toBeNull();
    expect((await server.get("/api/vms/fresh-linux/config?force_refresh=true")).raw).toMatchObject({ OS: "linux", DiskFormat: "asif", Disk: 20 });

    const ipsw = join(scratch, "UniversalMac_26.0_Restore.ipsw");
    writeFileSync(ipsw, "fake ipsw\n");
    const fromFile = await server.waitTask((await server.startTask("/api/vms/create", { name: "from-file", from_ipsw: ipsw })).id, 30_000);
    expect(fromFile.status).toBe("completed");
    expect(fromFile.command.slice(1)).toEqual(["create", "from-file", "--from-ipsw", ipsw]);
  }, 30_000);

  test("tart's own refusal (ASIF on a host before macOS 26) fails the task with tart's text", async () => {
    server.setKnobs({ asif_unsupported: true });
    const task = await server.waitTask((await server.startTask("/api/vms/create", { name: "asif-mac", from_ipsw: "latest", disk_format: "asif" })).id);
    server.setKnobs({});
    expect(task.status).toBe("failed");
    expect(task.error).toMatch(/Disk format 'asif' is not supported on this system/);
    expect(task.exit_code).toBe(64);
  });

  test("a cancelled IPSW create leaves no VM behind", async () => {
    server.setKnobs({ pull_steps: 50, pull_interval_ms: 200 });
    const task = await server.startTask("/api/vms/create", { name: "cancelled-mac", from_ipsw: "latest" });
    for (let i = 0; i < 100 && !(await server.get(`/api/tasks/${task.id}`)).install_progress; i++) await Bun.sleep(50);
    const response = await server.post(`/api/tasks/${task.id}/cancel`);
    expect(response.status).toBe(200);
    const ended = await server.waitTask(task.id);
    server.setKnobs({});
    expect(ended.status).toBe("failed");
    expect(ended.error).toMatch(/^cancelled/);
    expect((await server.get<any[]>("/api/vms")).some((vm) => vm.name === "cancelled-mac")).toBe(false);
  }, 30_000);

  test("bad requests are refused before tart runs", async () => {
    await refused({ name: "x", linux: false }, 422, /from_ipsw or linux: give one \(tart: Please specify either a --from-ipsw or --linux option!\)/);
    await refused({ name: "x", linux: true, from_ipsw: "latest" }, 422, /give only one/);
    await refused({ name: "x", from_ipsw: "relative.ipsw" }, 422, /from_ipsw: give "latest", an https URL/);
    await refused({ name: "x", from_ipsw: join(scratch, "missing.ipsw") }, 422, /from_ipsw: .*missing\.ipsw is not a file on this host/);
    await refused({ name: "x", from_ipsw: "https://exa mple.com/a.ipsw" }, 422, /not a valid URL/);
    await refused({ name: "x", linux: true, disk_format: "qcow2" }, 422, /disk_format: must be "raw" or "asif"/);
    await refused({ name: "x", linux: true, disk_size: 0 }, 422, /disk_size: must be an integer from 1/);
    await refused({ name: "x", from_ipsw: "latest", cpu: 2 }, 422, /cpu: a macOS VM needs at least 4 cores/);
    await refused({ name: "x", linux: true, cpu: 999 }, 422, /cpu: must be an integer/);
    await refused({ name: "x", linux: true, colour: "red" }, 422, /colour: must be a JSON object with name and from_ipsw or linux/);
    await refused({ name: "vm-0001", linux: true }, 409, /already exists/);
    await refused({ name: "-x", linux: true }, 422, /name/);
  });

  test("the body with source_vm is the create from an image, exactly as before", async () => {
    await refused({ name: "x" }, 422, /^source_vm: must be the name of a VM or an OCI image to create from$/);
    const task = await server.waitTask((await server.startTask("/api/vms/create", { name: "cloned", source_vm: "vm-0001", memory: 4 })).id);
    expect(task.status).toBe("completed");
    expect(task.result).toMatchObject({ message: "Created cloned from vm-0001", memory: "4G" });
  });

  test("a failed create from scratch is retried with its request", async () => {
    server.setKnobs({ fail: { create: { stderr: "Error: An error occurred during installation. The virtual machine failed to start.", exit: 1 } } });
    const failed = await server.waitTask((await server.startTask("/api/vms/create", { name: "retried", linux: true })).id);
    server.setKnobs({});
    expect(failed.status).toBe("failed");
    const retry = await server.post(`/api/tasks/${failed.id}/retry`);
    expect(retry.status).toBe(200);
    const done = await server.waitTask((await retry.json()).id);
    expect(done.status).toBe("completed");
    expect(done.command.slice(1)).toEqual(["create", "retried", "--linux"]);
  });
});
