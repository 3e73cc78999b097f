/**
 * The cached VM inventory. Reads never wait on tart: they get the last good snapshot. A refresh
 * runs `tart list` once and `tart ip` for every running VM concurrently, so it takes about one
 * `ip` call's time however many VMs run. A poll joins a refresh already running; a client's
 * refresh joins only one that starts after it asked (refreshFromNow). A failed refresh keeps the
 * last good list and marks it stale. CPU, memory, OS and display come from `tart get`
 * (config-cache.ts); an OCI tag and its digest are one image (oci-digest-folding.ts); the list's
 * JSON and ETag are built once per change (list-json-cache.ts).
 */
import { ConfigCache } from "./config-cache.ts";
import { AppError } from "./errors.ts";
import { ListJsonCache, type ListJson } from "./list-json-cache.ts";
import { mapConcurrent } from "./limit-concurrency.ts";
import { vmKey } from "./names.ts";
import { DigestFolding, OciDigests } from "./oci-digest-folding.ts";
import type { TartListEntry, TartPort, TartVmConfig } from "./ports.ts";
import { memoryFromMiB } from "./units.ts";
import { statusOf, type Vm } from "./vm.ts";

export interface InventoryStatus {
  refreshed_at: number | null;
  stale: boolean;
  error: string | null;
}

/** Who holds a VM now, and word when that changes (VmLocks). */
export interface BusySource {
  holderOf(name: string): string | null;
  onChange(listener: () => void): () => void;
}

export interface InventoryOptions {
  tart: TartPort;
  /** Which task holds a VM now (for active_task_id); a change shows in the list at once. */
  busy: BusySource;
  ipConcurrency: number;
  configConcurrency: number;
}

interface Snapshot {
  entries: TartListEntry[];
  byName: Map<string, TartListEntry>;
  ips: Map<string, string>;
  folding: DigestFolding;
}

export class VmInventory {
  private snapshot: Snapshot = { entries: [], byName: new Map(), ips: new Map(), folding: DigestFolding.EMPTY };
  private readonly json = new ListJsonCache(() => this.list());
  private readonly configs: ConfigCache;
  private readonly digests: OciDigests;
  private inFlight: Promise<Vm[]> | null = null;
  private followUp: Promise<Vm[]> | null = null;
  private status: InventoryStatus = { refreshed_at: null, stale: true, error: null };
  private timer: Timer | null = null;

  constructor(private readonly options: InventoryOptions) {
    this.configs = new ConfigCache(options.tart, options.configConcurrency, () => this.json.changed());
    this.digests = new OciDigests(options.tart, options.configConcurrency);
    options.busy.onChange(() => this.json.changed());
  }

  /** Refreshes every `intervalMs` until stopped. */
  startPolling(intervalMs: number): void {
    this.timer = setInterval(() => void this.refresh().catch(() => {}), intervalMs);
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  state(): InventoryStatus {
    return { ...this.status };
  }

  list(): Vm[] {
    const { entries, folding } = this.snapshot;
    return entries.filter((entry) => !folding.hidden.has(entry.name)).map((entry) => this.toVm(entry));
  }

  /** The list as JSON with its hash, built once per change (list-json-cache.ts). */
  listJson(): ListJson {
    return this.json.current();
  }

  find(name: string): Vm | null {
    const entry = this.snapshot.byName.get(name);
    if (!entry) return null;
    const { folding, byName } = this.snapshot;
    const tag = folding.hidden.has(entry.name) ? folding.tagOf(entry.name) : undefined;
    return this.toVm((tag && byName.get(tag)) || entry);
  }

  /** The listed VM that `name` would collide with (names ignore case), if any. */
  existingName(name: string): string | null {
    const key = vmKey(name);
    return this.snapshot.entries.find((entry) => vmKey(entry.name) === key)?.name ?? null;
  }

  /**
   * A refresh for the background poll and the first look at start: asked while one runs, it
   * shares that run, whatever that run has already read.
   */
  refresh(): Promise<Vm[]> {
    this.inFlight ??= this.runRefresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * A refresh that reflects tart at or after this call (POST /api/vms/refresh, after a task's
   * change, a VM looked up by name): a run already going may have read tart before the call, so
   * this waits for it and joins the next one, which starts after every caller it serves.
   */
  refreshFromNow(): Promise<Vm[]> {
    if (!this.inFlight) return this.refresh();
    this.followUp ??= this.inFlight
      .catch(() => {})
      .then(() => {
        this.followUp = null;
        return this.refresh();
      });
    return this.followUp;
  }

  /** `tart get`, cached; `force` bypasses the cache. Only local VMs have a config. */
  config(name: string, force: boolean): Promise<TartVmConfig> {
    return this.configs.get(name, force);
  }

  /**
   * A task changed this VM: its config (whose raw JSON holds the state) is fetched again before
   * it is served, and meanwhile the list keeps showing the last one rather than blanks.
   */
  invalidate(name: string): void {
    this.configs.invalidate(name);
    this.digests.forget(name);
    this.json.changed();
  }

  private async runRefresh(): Promise<Vm[]> {
    let entries: TartListEntry[];
    try {
      entries = await this.options.tart.list();
    } catch (error) {
      this.status = { ...this.status, stale: true, error: error instanceof AppError ? error.detail : String(error) };
      this.json.changed();
      throw error;
    }
    const running = entries.filter((entry) => entry.source === "local" && entry.state === "running");
    const [ips, folding] = await Promise.all([this.lookUpIps(running), this.digests.fold(entries)]);
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    this.snapshot = { entries, byName, ips, folding };
    this.configs.retain(new Set(byName.keys()));
    this.status = { refreshed_at: Date.now() / 1000, stale: false, error: null };
    this.json.changed();
    this.configs.fillFrom(entries, () => this.snapshot.entries);
    return this.list();
  }

  private async lookUpIps(running: TartListEntry[]): Promise<Map<string, string>> {
    const ips = new Map<string, string>();
    await mapConcurrent(running, this.options.ipConcurrency, async (entry) => {
      try {
        const ip = await this.options.tart.ip(entry.name);
        if (ip) ips.set(entry.name, ip);
      } catch {
        // No IP is shown for this VM; the list itself is still good.
      }
    });
    return ips;
  }

  private toVm(entry: TartListEntry): Vm {
    const config = this.configs.peek(entry.name);
    const isOci = entry.source === "oci";
    return {
      name: entry.name,
      status: statusOf(entry.state),
      ip_address: this.snapshot.ips.get(entry.name) ?? null,
      source: isOci ? "OCI" : "local",
      os: config?.os ?? null,
      cpu: config?.cpu ?? null,
      memory: memoryFromMiB(config?.memoryMiB),
      disk_size: entry.disk ?? config?.diskGB ?? null,
      display: config?.display ?? null,
      state: entry.state,
      kind: isOci ? "oci" : "local",
      size_on_disk: entry.size,
      accessed: entry.accessed,
      digest: isOci ? this.snapshot.folding.digestOf(entry.name) : null,
      active_task_id: this.options.busy.holderOf(entry.name),
    };
  }
}
