/**
 * A compiled server over a seeded TART_HOME, driven through bench/support/tart-shim: the fake tart
 * for everything, with `tart get` answered from files that hold the fake's own output for each VM
 * (the inventory's background config fill — one `tart get` per VM, four at a time — would otherwise
 * cost minutes of bun start-ups at 2,000 VMs before the inventory settles), and optionally a light
 * `tart ip` (sleep the latency, print the fake's lease) for the refresh benchmarks. `list` and every
 * operation still run the fake, with its knobs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedTartHome, type SeedOptions } from "../test/support/fake-tart/seed.ts";
import { startServer, type TestServer } from "../test/support/server-process.ts";
import { BENCH, FAKE_TART, tartEnv } from "./lib.ts";

export const TART_SHIM = join(BENCH, "support", "tart-shim");

export interface SeededServer {
  server: TestServer;
  tartHome: string;
  running: string[];
  stop(): Promise<void>;
}

/** Writes bench-get-cache/<name>.json for every local VM: the fake's output for one VM of each kind. */
export function writeGetCache(home: string, local: string[], running: Set<string>): void {
  const dir = join(home, "bench-get-cache");
  mkdirSync(dir, { recursive: true });
  const byKind = new Map<string, string>();
  for (const name of local) {
    const os = (JSON.parse(readFileSync(join(home, "vms", name, "config.json"), "utf8")) as { os: string }).os;
    const kind = `${os}/${running.has(name)}`;
    let output = byKind.get(kind);
    if (output === undefined) {
      const get = Bun.spawnSync([FAKE_TART, "get", name, "--format", "json"], { env: tartEnv(home, { FAKE_TART_ARGV_LOG: "false" }) });
      if (get.exitCode !== 0) throw new Error(`fake tart get ${name}: ${get.stderr}`);
      output = get.stdout.toString();
      byKind.set(kind, output);
    }
    writeFileSync(join(dir, `${name}.json`), output);
  }
}

/** Writes bench-ip-cache/<name>: the address the fake's dhcpd_leases give each running VM. */
export function writeIpCache(home: string): void {
  const dir = join(home, "bench-ip-cache");
  mkdirSync(dir, { recursive: true });
  const leases = readFileSync(join(home, "dhcpd_leases"), "utf8");
  for (const block of leases.split("}")) {
    const name = /\bname=(\S+)/.exec(block)?.[1];
    const ip = /\bip_address=(\S+)/.exec(block)?.[1];
    if (name && ip) writeFileSync(join(dir, name), `${ip}\n`);
  }
}

export async function startSeededServer(
  seed: Omit<SeedOptions, "home">,
  knobs: Record<string, unknown> = {},
  env: Record<string, string> = {},
  more: { tart?: string; binaryPath?: string; args?: string[] } = {},
): Promise<SeededServer> {
  const tartHome = mkdtempSync(join(tmpdir(), "bench-tart-home-"));
  const seeded = seedTartHome({ home: tartHome, ...seed });
  writeGetCache(tartHome, seeded.local, new Set(seeded.running));
  if (seeded.running.length) writeIpCache(tartHome);
  const server = await startServer({
    binary: true,
    binaryPath: more.binaryPath,
    tart: more.tart ?? TART_SHIM,
    tartHome,
    knobs,
    args: more.args,
    env: { BENCH_FAKE_TART: FAKE_TART, ...env },
  });
  return {
    server,
    tartHome,
    running: seeded.running,
    async stop() {
      await server.stop();
      rmSync(tartHome, { recursive: true, force: true });
    },
  };
}
