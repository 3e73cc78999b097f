/**
 * GET /api/host: what the Mac has and how much of it tart uses. Cheap by construction: the
 * cores, memory and OS version are read once; the disk figures come from statfs and a walk of
 * tart's cache folders (no tart call); the running macOS VMs from the inventory in memory; tart's
 * version from the status probe, which runs `tart --version` at most once every 30 s. So one
 * answer costs at most one tart call, and answers are reused for a few seconds on top of that.
 */
import type { HostSize } from "./create-fit.ts";
import type { TartHomeUsage } from "./ports.ts";
import type { TartStatusProbe } from "./tart-status.ts";
import type { Vm } from "./vm.ts";

/** Virtualization.framework runs at most two macOS guests at once; tart fails the third `run`. */
export const MACOS_VM_LIMIT = 2;
const FRESH_MS = 3_000;

export interface HostOsFacts {
  name: string;
  version: string | null;
  /** Where `version` came from: `sw_vers` (macOS's product version) or `os.release` (the kernel's). */
  source: "sw_vers" | "os.release";
}

export interface HostFacts extends HostSize {
  os: HostOsFacts;
  tart: { available: boolean; version: string | null; path: string | null };
  tart_home: string;
  /** The volume holding tart's home. */
  disk: { free_bytes: number | null; total_bytes: number | null };
  /** Running macOS VMs against the framework's limit; VMs whose OS is not known yet are not counted. */
  macos_vms: { running: number; limit: number; names: string[] };
  /** Measured in tart's home, as tart's prune measures it (allocated bytes). */
  caches: { oci_bytes: number; oci_images: number; ipsw_bytes: number; ipsw_files: number };
  /** Unix seconds, when these facts were gathered. */
  checked_at: number;
}

export interface HostReportDeps {
  size: HostSize;
  os: () => Promise<HostOsFacts>;
  tartStatus: Pick<TartStatusProbe, "check">;
  inventory: { list(): Vm[] };
  usage: TartHomeUsage;
}

export class HostReport {
  private last: { facts: HostFacts; at: number } | null = null;
  private inFlight: Promise<HostFacts> | null = null;
  private os: Promise<HostOsFacts> | null = null;

  constructor(private readonly deps: HostReportDeps) {}

  /** The facts, gathered again when the last ones are older than a few seconds. */
  current(): Promise<HostFacts> {
    if (this.last && performance.now() - this.last.at < FRESH_MS) return Promise.resolve(this.last.facts);
    this.inFlight ??= this.gather().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Forgets the last answer (after a prune, the cache sizes changed). */
  invalidate(): void {
    this.last = null;
  }

  private async gather(): Promise<HostFacts> {
    this.os ??= this.deps.os();
    const [os, tart] = await Promise.all([this.os, this.deps.tartStatus.check()]);
    const running = this.deps.inventory
      .list()
      .filter((vm) => vm.kind === "local" && vm.status === "running" && vm.os === "darwin")
      .map((vm) => vm.name);
    const cached = this.deps.usage.entries("caches");
    const sum = (kind: "oci" | "ipsw") => cached.filter((e) => e.kind === kind).reduce((total, e) => total + e.bytes, 0);
    const facts: HostFacts = {
      ...this.deps.size,
      os,
      tart: { available: tart.available, version: tart.version, path: tart.path },
      tart_home: this.deps.usage.home,
      disk: this.deps.usage.volume(),
      macos_vms: { running: running.length, limit: MACOS_VM_LIMIT, names: running },
      caches: {
        oci_bytes: sum("oci"),
        oci_images: cached.filter((e) => e.kind === "oci").length,
        ipsw_bytes: sum("ipsw"),
        ipsw_files: cached.filter((e) => e.kind === "ipsw").length,
      },
      checked_at: Date.now() / 1000,
    };
    this.last = { facts, at: performance.now() };
    return facts;
  }
}
