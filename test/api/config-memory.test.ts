// VM configs are remembered across a restart: the restarted server lists every VM's CPU and
// memory without running `tart get` (each of which rewrites the VM's access date in real tart;
// on this Linux box the kernel's relatime moves it on any read too, so the calls are counted), asks tart
// only for a VM whose config.json changed while it was down, and still asks tart when a config
// is served (GET …/config: its raw JSON holds the running state). A change made from a terminal
// while it runs (`tart set`) is read again by its file event.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedTartHome } from "../support/fake-tart/seed.ts";
import { bunBinDir, FAKE_TART, startServer, stopAll, type TestServer } from "../support/server-process.ts";

const scratch = mkdtempSync(join(tmpdir(), "taartenfabriek-configs-"));
const dataDir = join(scratch, "data");
const tartHome = join(scratch, "tart-home");
seedTartHome({ home: tartHome, local: 3, oci: 0 });
afterAll(stopAll);

function terminalTart(...args: string[]): void {
  const result = Bun.spawnSync([FAKE_TART, ...args], { env: { PATH: `${bunBinDir()}:/usr/bin:/bin`, HOME: tartHome, TART_HOME: tartHome } });
  if (result.exitCode !== 0) throw new Error(`tart ${args.join(" ")}: ${result.stderr}`);
}

/** Waits until every local VM in the list has its CPU count (the background config fill is done). */
async function filled(server: TestServer): Promise<any[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const vms = await server.get<any[]>("/api/vms");
    if (vms.length && vms.every((vm) => vm.cpu !== null)) return vms;
    if (Date.now() > deadline) throw new Error("configs never filled");
    await Bun.sleep(50);
  }
}

/** The VMs `tart get` was run for, after the first `from` calls of the (shared) argv log. */
const gets = (server: TestServer, from = 0) => server.argvLog().slice(from).filter((argv) => argv[0] === "get").map((argv) => argv[1]);

describe("configs across a restart", () => {
  test("a restarted server shows every config without tart get, except the one whose file changed", async () => {
    const first = await startServer({ dataDir, tartHome, knobs: { argv_log: true } });
    const before = await filled(first);
    expect(gets(first).sort()).toEqual(["vm-0001", "vm-0002", "vm-0003"]);
    await Bun.sleep(2_500); // the memory is written a moment after the last config lands
    await first.stop();

    terminalTart("set", "vm-0002", "--cpu", "6"); // changed while the server is down
    const seen = first.argvLog().length;
    const second = await startServer({ dataDir, tartHome, knobs: { argv_log: true } });
    const after = await filled(second);
    expect(gets(second, seen)).toEqual(["vm-0002"]);
    expect(after.find((vm) => vm.name === "vm-0002").cpu).toBe(6);
    expect(after.find((vm) => vm.name === "vm-0001")).toMatchObject({ cpu: before.find((vm) => vm.name === "vm-0001").cpu, memory: before.find((vm) => vm.name === "vm-0001").memory });

    // Served, a remembered config is asked of tart (its raw JSON has the running state).
    const config = await second.get("/api/vms/vm-0001/config");
    expect(config.raw).toBeTruthy();
    expect(gets(second, seen)).toEqual(["vm-0002", "vm-0001"]);

    // A terminal's `tart set` while the server runs: seen by the file event, read again.
    terminalTart("set", "vm-0003", "--cpu", "5");
    const deadline = Date.now() + 10_000;
    let cpu = null;
    while (Date.now() < deadline && cpu !== 5) {
      cpu = (await second.get<any[]>("/api/vms")).find((vm) => vm.name === "vm-0003").cpu;
      await Bun.sleep(50);
    }
    expect(cpu).toBe(5);
    await second.stop();
  }, 60_000);
});
