// Writes a TART_HOME full of VMs in one go, for tests and benchmarks: N local VMs (some
// marked running), M cached OCI images (each listed twice, tag and digest), and DHCP leases
// for the running ones. It writes the same layout the fake's commands write, with sparse
// disks, so 2,000 VMs take well under a second. "Running" VMs borrow a live pid (the test
// process by default) instead of needing one process each; see run-state.ts.
//
// CLI: bun test/support/fake-tart/seed.ts --home DIR [--local 200] [--running 100] [--oci 3]
//      [--running-pid PID] [--prefix vm-]
import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatLeases, LEASE_SECONDS, type Lease } from "./leases.ts";
import { writeMark } from "./run-state.ts";
import { newConfig, vmsDir } from "./storage.ts";
import { swiftJSON, type JsonValue } from "./swift-json.ts";

export interface SeedOptions {
  home: string;
  local?: number;
  /** How many of the local VMs are marked running (the first ones by name). */
  running?: number;
  oci?: number;
  /** The live process that "holds" running VMs; default: the calling process. */
  runningPid?: number;
  prefix?: string;
  diskGB?: number;
}

export interface SeedResult {
  local: string[];
  running: string[];
  oci: string[];
}

const mac = (i: number) =>
  `7e:b3:${[(i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, 0x42].map((b) => b.toString(16).padStart(2, "0")).join(":")}`;

const NVRAM = Buffer.alloc(512, 1);

/** The fewest syscalls that give a complete VM directory: no temp files, a sparse disk. */
function writeVM(dir: string, os: "darwin" | "linux", macAddress: string, diskBytes: number): void {
  mkdirSync(dir, { recursive: true });
  const config = newConfig(os, os === "darwin" ? 4 : 2, os === "darwin" ? 8192 : 4096, macAddress);
  writeFileSync(join(dir, "config.json"), swiftJSON(config as unknown as JsonValue));
  writeFileSync(join(dir, "nvram.bin"), NVRAM);
  const fd = openSync(join(dir, "disk.img"), "w");
  ftruncateSync(fd, diskBytes);
  closeSync(fd);
}

export function seedTartHome(o: SeedOptions): SeedResult {
  const local = o.local ?? 0;
  const running = Math.min(o.running ?? 0, local);
  const pid = o.runningPid ?? process.pid;
  const prefix = o.prefix ?? "vm-";
  const diskBytes = (o.diskGB ?? 50) * 1e9;
  const width = Math.max(4, String(local).length);
  const nowS = Math.floor(Date.now() / 1000);
  const result: SeedResult = { local: [], running: [], oci: [] };
  const leases: Lease[] = [];

  mkdirSync(vmsDir(o.home), { recursive: true });
  for (let i = 0; i < local; i++) {
    const name = `${prefix}${String(i + 1).padStart(width, "0")}`;
    const dir = join(vmsDir(o.home), name);
    const m = mac(i + 1);
    writeVM(dir, i % 4 === 3 ? "linux" : "darwin", m, diskBytes);
    // Spread the access dates so `Accessed` and relative dates vary.
    const at = nowS - i * 60;
    utimesSync(dir, at, at);
    result.local.push(name);
    if (i < running) {
      writeMark(dir, pid, "seed");
      result.running.push(name);
      if (i < 253) leases.push({ name, ip: `192.168.64.${i + 2}`, mac: m, lease: nowS + LEASE_SECONDS });
    }
  }
  if (leases.length) writeFileSync(join(o.home, "dhcpd_leases"), formatLeases(leases));

  for (let i = 0; i < (o.oci ?? 0); i++) {
    const repo = join(o.home, "cache", "OCIs", "ghcr.io", "cirruslabs", `seed-image-${i + 1}`);
    const digest = `sha256:${new Bun.CryptoHasher("sha256").update(`seed-image-${i + 1}`).digest("hex")}`;
    writeVM(join(repo, digest), "darwin", mac(0xf00000 + i), diskBytes);
    symlinkSync(digest, join(repo, "latest"));
    result.oci.push(`ghcr.io/cirruslabs/seed-image-${i + 1}:latest`, `ghcr.io/cirruslabs/seed-image-${i + 1}@${digest}`);
  }
  return result;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const home = arg("home");
  if (!home) {
    console.error("usage: bun seed.ts --home DIR [--local N] [--running N] [--oci N] [--running-pid PID] [--prefix P]");
    process.exit(64);
  }
  const started = performance.now();
  const r = seedTartHome({
    home,
    local: Number(arg("local") ?? 0),
    running: Number(arg("running") ?? 0),
    oci: Number(arg("oci") ?? 0),
    // The CLI exits at once, so by default the VMs are held by whoever called it.
    runningPid: Number(arg("running-pid") ?? process.ppid),
    prefix: arg("prefix"),
  });
  console.log(
    `seeded ${r.local.length} local (${r.running.length} running), ${r.oci.length / 2} OCI images in ${Math.round(performance.now() - started)} ms`,
  );
}
