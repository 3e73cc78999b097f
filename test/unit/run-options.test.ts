// Tart's rules for the run options kept per VM (src/domain/run-options.ts), one by one, and the
// create-from-scratch rules and the install progress parsed from tart create's lines.
import { describe, expect, test } from "bun:test";
import { createArgs, runArgs } from "../../src/adapters/tart/tart-argv.ts";
import { parseHardwarePorts } from "../../src/adapters/host/network-interfaces.ts";
import { planScratch } from "../../src/domain/create-from-scratch.ts";
import { InstallProgressTracker } from "../../src/domain/install-progress.ts";
import { checkRunOptions, cidrProblem, mountHints, olderThan, problemsOf, DEFAULT_RUN_OPTIONS, type RunOptionFacts } from "../../src/domain/run-options.ts";

const facts = (extra: Partial<RunOptionFacts> = {}): RunOptionFacts => ({
  os: "linux",
  tartVersion: "2.32.1",
  hostOs: { name: "macOS", version: "15.5" },
  interfaces: ["en0", "Wi-Fi"],
  isDirectory: (path) => path.startsWith("/Users/"),
  ...extra,
});
const problems = (input: Parameters<typeof checkRunOptions>[0], extra?: Partial<RunOptionFacts>) => {
  try {
    checkRunOptions(input, facts(extra));
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
};

describe("run options", () => {
  test("the defaults add nothing to tart run; each option its flag, in tart's order", () => {
    expect(runArgs("dev", { vm: DEFAULT_RUN_OPTIONS })).toEqual(["run", "--vnc", "--no-graphics", "dev"]);
    const options = checkRunOptions(
      { shared_folders: [{ name: "src", path: "/Users/me/src", read_only: true }], network: { mode: "host" }, nested: true, no_audio: true, root_disk_opts: " ro " },
      facts(),
    );
    expect(runArgs("dev", { suspendable: false, vm: options })).toEqual([
      "run", "--vnc", "--no-graphics", "--no-audio", "--dir", "src:/Users/me/src:ro", "--nested", "--net-host", "--root-disk-opts", "ro", "dev",
    ]);
  });

  test("network modes are exclusive: softnet's lists belong to softnet, an interface to bridged", () => {
    expect(problems({ network: { mode: "nat", allow: ["10.0.0.0/8"] } })[0]).toMatch(/mutually exclusive/);
    expect(problems({ network: { mode: "softnet", interface: "en0" } })[0]).toMatch(/only a bridged network takes an interface/);
    expect(problems({ network: { mode: "bridged", interface: "Wi-Fi" } })).toEqual([]);
    expect(problems({ network: { mode: "bridged", interface: "en1" } })[0]).toMatch(/"en1" is not an interface of this host; it has en0, Wi-Fi/);
    expect(problems({ network: { mode: "bridged", interface: "en1" } }, { interfaces: null })).toEqual([]);
  });

  test("CIDRs are IPv4 with a prefix of at most 32", () => {
    expect(cidrProblem("10.0.0.0/16")).toBeNull();
    expect(cidrProblem("0.0.0.0/0")).toBeNull();
    expect(cidrProblem("10.0.0.0")).toMatch(/not an IPv4 CIDR/);
    expect(cidrProblem("10.0.0.256/8")).toMatch(/octet/);
    expect(cidrProblem("010.0.0.0/8")).toMatch(/octet/);
    expect(cidrProblem("10.0.0.0/40")).toMatch(/above 32/);
  });

  test("shared folders: named, unique, absolute, existing, without a colon", () => {
    expect(problems({ shared_folders: [{ name: "a", path: "/tmp/x" }] })[0]).toMatch(/is not a directory/);
    expect(problems({ shared_folders: [{ name: "a", path: "/Users/a:b" }] })[0]).toMatch(/colon/);
    expect(problems({ shared_folders: [{ name: ".hidden", path: "/Users/a" }] })[0]).toMatch(/name/);
    expect(problems({ shared_folders: [{ name: "a", path: "/Users/a" }, { name: "A", path: "/Users/b" }] })[0]).toMatch(/already the name/);
  });

  test("nested: Linux guests, macOS 15 hosts, tart 2.20; every flag's tart version", () => {
    expect(problems({ nested: true }, { os: "darwin" })[0]).toMatch(/only for Linux VMs/);
    expect(problems({ nested: true }, { hostOs: { name: "macOS", version: "14.6" } })[0]).toMatch(/macOS 15 \(Sequoia\) host/);
    expect(problems({ nested: true }, { hostOs: { name: "linux", version: "6.1" } })).toEqual([]);
    expect(problems({ nested: true }, { tartVersion: "2.19.3" })[0]).toBe("nested: --nested needs tart 2.20.0 or later, and this is tart 2.19.3");
    expect(problems({ network: { mode: "softnet", block: ["1.2.3.0/24"] } }, { tartVersion: "2.29.0" })[0]).toMatch(/--net-softnet-block needs tart 2.30.0/);
    expect(problems({ nested: true }, { tartVersion: "SNAPSHOT" })).toEqual([]);
    expect(olderThan("2.6", "2.6.0")).toBe(false);
    expect(olderThan("0.38.0", "2.6.0")).toBe(true);
  });

  test("root disk options are tart's, each once", () => {
    expect(problems({ root_disk_opts: "caching=uncached,sync=fsync,ro" })).toEqual([]);
    expect(problems({ root_disk_opts: "sync=none,sync=full" })[0]).toMatch(/sync is given twice/);
    expect(problems({ root_disk_opts: "caching" })[0]).toMatch(/caching takes automatic, cached, uncached/);
  });

  test("mount hints: macOS mounts by itself, Linux is told the virtiofs mount", () => {
    const options = { shared_folders: [{ name: "src", path: "/Users/me/src", read_only: false }] };
    expect(mountHints(options, "darwin")).toEqual([{ name: "src", guest_path: "/Volumes/My Shared Files/src", mount_command: null }]);
    expect(mountHints(options, "linux")[0]!.mount_command).toBe("sudo mount -t virtiofs com.apple.virtio-fs.automount /mnt/shared");
  });

  test("every problem is listed, not only the first", () => {
    const all = problemsOf({ ...DEFAULT_RUN_OPTIONS, nested: true, root_disk_opts: "x" }, facts({ os: "darwin" }));
    expect(all.length).toBe(2);
  });
});

describe("host interfaces", () => {
  test("networksetup's hardware ports give both names, loopback left out", () => {
    const text = "\nHardware Port: Ethernet\nDevice: en0\nEthernet Address: aa\n\nHardware Port: Wi-Fi\nDevice: en1\nEthernet Address: bb\n\nHardware Port: Loopback\nDevice: lo0\n";
    expect(parseHardwarePorts(text)).toEqual(["en0", "Ethernet", "en1", "Wi-Fi"]);
  });
});

describe("create from scratch", () => {
  const scratchFacts = { host: { cpu_cores: 8, memory_gb: 16 }, tartVersion: "2.32.1", hostOs: { name: "macOS", version: "26.0" }, isFile: () => true };
  test("one source, tart's argv, cores and memory through tart set", () => {
    const plan = planScratch({ name: "m", from_ipsw: "latest", disk_size: 80, disk_format: "asif", cpu: 6, memory: 8 }, scratchFacts);
    expect(createArgs("m", plan.create)).toEqual(["create", "m", "--from-ipsw", "latest", "--disk-size", "80", "--disk-format", "asif"]);
    expect(plan.settings).toEqual({ cpu: 6, memoryMiB: 8192 });
    expect(createArgs("l", planScratch({ name: "l", linux: true }, scratchFacts).create)).toEqual(["create", "l", "--linux"]);
    expect(() => planScratch({ name: "x" }, scratchFacts)).toThrow(/Please specify either a --from-ipsw or --linux option!/);
  });

  test("ASIF needs macOS 26, --disk-format tart 2.28", () => {
    expect(() => planScratch({ name: "x", linux: true, disk_format: "asif" }, { ...scratchFacts, hostOs: { name: "macOS", version: "15.5" } })).toThrow(/ASIF disks need a macOS 26/);
    expect(() => planScratch({ name: "x", linux: true, disk_format: "raw" }, { ...scratchFacts, tartVersion: "2.27.0" })).toThrow(/has no --disk-format/);
  });

  test("the install's progress: two runs of 0..100% become one climbing percent", () => {
    const tracker = new InstallProgressTracker();
    const seen: (number | null)[] = [];
    for (const line of ["Looking up the latest supported IPSW...", "Fetching UniversalMac_15.5_24F74_Restore.ipsw...", "0%", "50%", "100%", "Installing OS...", "0%", "50%", "100%"]) {
      tracker.line(line);
      seen.push(tracker.overall());
    }
    expect(seen).toEqual([null, null, 0, 25, 50, null, 50, 75, 100]);
    expect(tracker.state).toEqual({ phase: "install", percent: 100, ipsw: "UniversalMac_15.5_24F74_Restore.ipsw" });
    const cached = new InstallProgressTracker();
    for (const line of ["Using cached x.ipsw file...", "Installing OS...", "40%"]) cached.line(line);
    expect(cached.overall()).toBe(40);
    expect(new InstallProgressTracker().line("37%")).toBe(false);
  });
});
