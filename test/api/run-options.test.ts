// Run options kept per VM (GET/PUT /api/vms/{name}/run-options) over real HTTP against the fake
// tart: stored, checked with tart's rules before any tart call (the argv log stays empty), used by
// every start (the `tart run` argv), followed by rename, dropped by delete, not copied by clone,
// and kept across a restart. The fake's `run` checks the same flags as real tart.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FAKE_TART, bunBinDir, startServer, stopAll, untilEveryOsKnown, type TestServer } from "../support/server-process.ts";

let server: TestServer;
let share: string;
let scratch: string;
let bridgeable: string;
const MAC = "vm-0001";
const LINUX = "vm-0004"; // the seed makes every fourth VM a Linux guest
const IFACES = [{ identifier: "en0", displayName: "Wi-Fi" }, { identifier: "en7" }];

beforeAll(async () => {
  share = mkdtempSync(join(tmpdir(), "run-options-share-"));
  mkdirSync(join(share, "src"));
  mkdirSync(join(share, "out"));
  scratch = mkdtempSync(join(tmpdir(), "run-options-"));
  // The server and the fake both read the host's interfaces from the OS, as app and tart do.
  server = await startServer({ seed: { local: 8, running: 0 }, knobs: { vm_limit: 0 }, dataDir: join(scratch, "data"), tartHome: join(scratch, "home") });
  await server.post("/api/vms/refresh");
  await untilEveryOsKnown(server);
}, 30_000);
afterAll(async () => {
  await stopAll();
  rmSync(share, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** PUTs and returns the status, the body, and the tart commands (other than reads) it ran. */
async function put(name: string, body: unknown) {
  const before = server.argvLog().length;
  const response = await server.fetch(`/api/vms/${name}/run-options`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await response.json();
  await Bun.sleep(50);
  return { status: response.status, json, ran: server.argvLog().slice(before).filter((argv) => !["list", "ip", "get"].includes(argv[0]!)) };
}

async function refused(name: string, body: unknown, status: number, detail: RegExp) {
  const { status: got, json, ran } = await put(name, body);
  expect({ got, detail: json.detail }).toMatchObject({ got: status, detail: expect.stringMatching(detail) });
  expect(ran).toEqual([]);
}

async function runTask(path: string, body?: unknown) {
  const task = await server.startTask(path, body);
  return server.waitTask(task.id, 30_000);
}

describe("GET and PUT", () => {
  test("a VM without kept options shows the defaults, the plain tart run and the host's interfaces", async () => {
    const view = await server.get(`/api/vms/${MAC}/run-options`);
    expect(view).toMatchObject({
      name: MAC,
      os: "darwin",
      kept: false,
      options: { shared_folders: [], network: { mode: "nat" }, nested: false, no_audio: false, root_disk_opts: null },
      command: ["run", "--vnc", "--no-graphics", MAC],
      command_line: `tart run --vnc --no-graphics ${MAC}`,
      mount_hints: [],
      problems: [],
    });
    expect(view.bridged_interfaces).not.toContain("lo");
    expect(view.bridged_interfaces.length).toBeGreaterThan(0);
    bridgeable = view.bridged_interfaces[0];
  });

  test("options are stored and shown as the exact tart run line, with the macOS mount hint", async () => {
    const { status, json, ran } = await put(MAC, {
      shared_folders: [
        { name: "src", path: join(share, "src") },
        { name: "out", path: join(share, "out"), read_only: true },
      ],
      network: { mode: "softnet", allow: ["10.0.0.0/16", "192.168.1.0/24"], block: ["66.66.0.0/16"] },
      no_audio: true,
      root_disk_opts: "caching=cached,sync=none",
    });
    expect(status).toBe(200);
    expect(ran).toEqual([]);
    expect(json.kept).toBe(true);
    expect(json.command).toEqual([
      "run", "--vnc", "--no-graphics", "--no-audio",
      "--dir", `src:${join(share, "src")}`, "--dir", `out:${join(share, "out")}:ro`,
      "--net-softnet", "--net-softnet-allow", "10.0.0.0/16,192.168.1.0/24", "--net-softnet-block", "66.66.0.0/16",
      "--root-disk-opts", "caching=cached,sync=none", MAC,
    ]);
    expect(json.mount_hints).toEqual([
      { name: "src", guest_path: "/Volumes/My Shared Files/src", mount_command: null },
      { name: "out", guest_path: "/Volumes/My Shared Files/out", mount_command: null },
    ]);
    expect((await server.get(`/api/vms/${MAC}/run-options`)).command).toEqual(json.command);
    const file = join(server.dataDir, "vm-run-options.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8")).vms[MAC].network.mode).toBe("softnet");
  });

  test("a Linux guest is told how to mount its shares", async () => {
    const { json } = await put(LINUX, { shared_folders: [{ name: "src", path: join(share, "src") }], nested: true });
    expect(json.mount_hints).toEqual([
      { name: "src", guest_path: "/mnt/shared/src", mount_command: "sudo mount -t virtiofs com.apple.virtio-fs.automount /mnt/shared" },
    ]);
    expect(json.command).toContain("--nested");
  });

  test("bad options are refused with a 422 naming the field, and nothing is run or stored", async () => {
    const before = readFileSync(join(server.dataDir, "vm-run-options.json"), "utf8");
    await refused(MAC, { shared_folders: [{ name: "x", path: join(share, "missing") }] }, 422, /shared_folders\[0\]\.path: .*missing is not a directory on this host/);
    await refused(MAC, { shared_folders: [{ name: "x", path: "relative/dir" }] }, 422, /shared_folders\[0\]\.path: .*must be an absolute path/);
    await refused(MAC, { shared_folders: [{ name: "a", path: share }, { name: "A", path: share }] }, 422, /shared_folders\[1\]\.name: .*already the name/);
    await refused(MAC, { shared_folders: [{ name: "bad:name", path: share }] }, 422, /shared_folders\[0\]\.name/);
    await refused(MAC, { network: { mode: "bridged", interface: "en9" } }, 422, /network\.interface: "en9" is not an interface of this host/);
    await refused(MAC, { network: { mode: "bridged" } }, 422, /network\.interface: a bridged network needs/);
    await refused(MAC, { network: { mode: "host", allow: ["10.0.0.0/8"] } }, 422, /mutually exclusive/);
    await refused(MAC, { network: { mode: "softnet", allow: ["10.0.0.0/33"] } }, 422, /network\.allow\[0\]: .*prefix length above 32/);
    await refused(MAC, { network: { mode: "softnet", block: ["300.1.1.1/8"] } }, 422, /network\.block\[0\]: .*octet/);
    await refused(MAC, { network: { mode: "wifi" } }, 422, /network\.mode: must be "nat", "bridged", "softnet" or "host"/);
    await refused(MAC, { nested: true }, 422, /nested: nested virtualization is only for Linux VMs/);
    await refused(MAC, { root_disk_opts: "sync=fast" }, 422, /root_disk_opts: "sync=fast": sync takes none, fsync, full/);
    await refused(MAC, { root_disk_opts: "readonly" }, 422, /root_disk_opts: "readonly" is not a root disk option/);
    await refused(MAC, { no_audio: "yes" }, 422, /no_audio: must be true or false/);
    await refused(MAC, { nested: false, audio: false }, 422, /body|audio/);
    expect(readFileSync(join(server.dataDir, "vm-run-options.json"), "utf8")).toBe(before);
  });

  test("an unknown VM is a 404, an OCI image a 409, a POST a 405", async () => {
    await refused("nosuch", {}, 404, /VM nosuch not found/);
    await refused(encodeURIComponent("ghcr.io/cirruslabs/seed-image-1:latest"), {}, 409, /OCI image/);
    const response = await server.post(`/api/vms/${MAC}/run-options`, {});
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PUT");
  });
});

describe("every start runs with them", () => {
  test("the start's tart run carries the kept options, bridged to one of the host's interfaces", async () => {
    const saved = await put(MAC, { network: { mode: "bridged", interface: bridgeable }, shared_folders: [{ name: "src", path: join(share, "src"), read_only: true }] });
    expect(saved.status).toBe(200);
    const started = await runTask(`/api/vms/${MAC}/start`, {});
    expect(started.status).toBe("completed");
    expect(started.command.slice(1)).toEqual(["run", "--vnc", "--no-graphics", "--dir", `src:${join(share, "src")}:ro`, "--net-bridged", bridgeable, MAC]);
    expect((await runTask(`/api/vms/${MAC}/stop`)).status).toBe("completed");
  });

  test("a shared folder gone since is a 409 at start, before tart runs", async () => {
    const gone = join(share, "gone");
    mkdirSync(gone);
    await put(LINUX, { shared_folders: [{ name: "gone", path: gone }] });
    rmSync(gone, { recursive: true });
    expect((await server.get(`/api/vms/${LINUX}/run-options`)).problems).toEqual([expect.stringMatching(/gone is not a directory on this host/)]);
    const before = server.argvLog().length;
    const response = await server.post(`/api/vms/${LINUX}/start`, {});
    expect(response.status).toBe(409);
    expect((await response.json()).detail).toMatch(/cannot start with its run options: shared_folders\[0\]\.path: .*gone is not a directory/);
    await Bun.sleep(50);
    expect(server.argvLog().slice(before).filter((argv) => argv[0] === "run")).toEqual([]);
    // {} resets to the defaults: a plain start again.
    const reset = await put(LINUX, {});
    expect(reset.json.kept).toBe(false);
    expect(reset.json.command).toEqual(["run", "--vnc", "--no-graphics", LINUX]);
  });
});

describe("rename, delete, clone, restart", () => {
  test("options follow a rename and go with a delete; a clone starts without them", async () => {
    await put("vm-0002", { no_audio: true });
    expect((await runTask("/api/vms/vm-0002/rename", { new_name: "renamed" })).status).toBe("completed");
    expect((await server.get("/api/vms/renamed/run-options")).options.no_audio).toBe(true);
    expect((await runTask("/api/vms/renamed/clone", { new_name: "copy" })).status).toBe("completed");
    expect((await server.get("/api/vms/copy/run-options")).kept).toBe(false);
    expect((await runTask("/api/vms/renamed/delete", {})).status).toBe("completed");
    expect(JSON.parse(readFileSync(join(server.dataDir, "vm-run-options.json"), "utf8")).vms.renamed).toBeUndefined();
  });

  test("options survive a restart of the server", async () => {
    await put("vm-0003", { no_audio: true, root_disk_opts: "ro" });
    const { dataDir, tartHome } = server;
    await server.stop();
    server = await startServer({ dataDir, tartHome, knobs: { vm_limit: 0 } });
    await server.post("/api/vms/refresh");
    expect((await server.get("/api/vms/vm-0003/run-options")).options).toMatchObject({ no_audio: true, root_disk_opts: "ro" });
  }, 30_000);
});

describe("the fake tart's run checks these flags as tart does", () => {
  const tart = (home: string, ...args: string[]) => {
    const proc = Bun.spawnSync([FAKE_TART, ...args], {
      env: { ...process.env, PATH: `${bunBinDir()}:${process.env.PATH}`, TART_HOME: home, FAKE_TART_KNOBS: JSON.stringify({ bridged_interfaces: IFACES, argv_log: false }) },
    });
    return { code: proc.exitCode, stderr: proc.stderr.toString() };
  };

  test("network modes are exclusive, softnet's lists imply softnet, and errors come with tart's texts", () => {
    const home = server.tartHome;
    expect(tart(home, "run", "--net-host", "--net-softnet-allow", "10.0.0.0/8", "vm-0005")).toEqual({
      code: 64,
      stderr: "Error: --net-bridged, --net-softnet and --net-host are mutually exclusive\nUsage: tart run [<options>] <name>\n  See 'tart run --help' for more information.\n",
    });
    const bridged = tart(home, "run", "--net-bridged", "en9", "vm-0005");
    expect(bridged.code).toBe(64);
    expect(bridged.stderr).toStartWith('Error: no bridge interfaces matched "["en9"]", available interfaces: ["en0 (or \\"Wi-Fi\\")", "en7"]\nUsage: tart <subcommand>');
    const dirs = tart(home, "run", "--dir", share, "--dir", `${share}:ro`, "vm-0005");
    expect(dirs.code).toBe(64);
    expect(dirs.stderr).toStartWith("Error: invalid --dir syntax: for multiple directory shares each one of them should be named\n");
    expect(tart(home, "run", "--root-disk-opts", "sync=fast", "vm-0005")).toEqual({ code: 1, stderr: 'unsupported disk image synchronization mode: "fast"\n' });
  });
});
