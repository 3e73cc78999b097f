// GET /api/host over real HTTP, against the fake tart: the host's size and OS, tart's version, the
// volume of TART_HOME, the running macOS VMs against the limit of two, and the caches measured in
// TART_HOME. One answer costs at most one tart call, and answers are reused for a few seconds.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, statfsSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, platform, release } from "node:os";
import { join } from "node:path";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
const IPSW_BYTES = 1_000_000;

beforeAll(async () => {
  // vm-0001 runs (macOS), vm-0002 and vm-0003 are stopped macOS VMs, vm-0004 a stopped Linux VM.
  server = await startServer({ seed: { local: 4, running: 1, oci: 2 } });
  mkdirSync(join(server.tartHome, "cache", "IPSWs"), { recursive: true });
  writeFileSync(join(server.tartHome, "cache", "IPSWs", "UniversalMac_15.5_Restore.ipsw"), Buffer.alloc(IPSW_BYTES, 7));
});
afterAll(() => stopAll());

/** Allocated bytes of a VM directory as tart counts them. */
const allocated = (dir: string) => ["config.json", "disk.img", "nvram.bin"].reduce((sum, f) => sum + statSync(join(dir, f)).blocks * 512, 0);

describe("GET /api/host", () => {
  test("the host, tart, the disk, the macOS VMs and the caches", async () => {
    const host = await waitForHost((h) => h.macos_vms.running === 1);
    expect(host.cpu_cores).toBe(availableParallelism());
    expect(host.memory_gb).toBeGreaterThan(0);
    expect(host.os).toEqual(platform() === "darwin" ? expect.objectContaining({ name: "macOS" }) : { name: platform(), version: release(), source: "os.release" });
    expect(host.tart).toEqual({ available: true, version: "2.32.1", path: expect.stringContaining("fake-tart") });
    expect(host.tart_home).toBe(server.tartHome);
    const fs = statfsSync(server.tartHome);
    expect(host.disk.total_bytes).toBe(Number(fs.blocks) * Number(fs.bsize));
    expect(Math.abs(host.disk.free_bytes - Number(fs.bavail) * Number(fs.bsize))).toBeLessThan(1e9);
    expect(host.macos_vms).toEqual({ running: 1, limit: 2, names: ["vm-0001"] });
    const repos = join(server.tartHome, "cache", "OCIs", "ghcr.io", "cirruslabs");
    const digests = readdirSync(repos).map((repo) => join(repos, repo, readdirSync(join(repos, repo)).find((n) => n.startsWith("sha256:"))!));
    expect(host.caches.oci_images).toBe(2);
    expect(host.caches.oci_bytes).toBe(digests.reduce((sum, dir) => sum + allocated(dir), 0));
    expect(host.caches.ipsw_files).toBe(1);
    expect(host.caches.ipsw_bytes).toBeGreaterThanOrEqual(IPSW_BYTES);
    expect(typeof host.checked_at).toBe("number");
  });

  test("at most one tart call per answer, and answers are reused for a few seconds", async () => {
    const own = () => server.argvLog().filter((argv) => !["list", "ip", "get", "fqn"].includes(argv[0]!)); // the inventory's own looks aside
    const before = own().length;
    const answers = await Promise.all(Array.from({ length: 10 }, () => server.get<any>("/api/host")));
    expect(own().length - before).toBeLessThanOrEqual(1);
    expect(new Set(answers.map((a) => a.checked_at)).size).toBe(1);
    const again = await server.get<any>("/api/host");
    expect(again.checked_at).toBe(answers[0].checked_at);
  });

  test("needs the token", async () => {
    const response = await server.fetch("/api/host", { token: null });
    expect(response.status).toBe(401);
  });
});

async function waitForHost(ready: (host: any) => boolean, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const host = await server.get<any>("/api/host");
    if (ready(host)) return host;
    if (Date.now() > deadline) throw new Error(`host never ready: ${JSON.stringify(host)}`);
    await Bun.sleep(500);
  }
}
