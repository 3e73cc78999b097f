/**
 * The cached VM inventory. Reads never wait on tart: they get the last good snapshot. A refresh
 * runs `tart list` once and `tart ip` for every running VM concurrently, so it takes about one
 * `ip` call's time however many VMs run. A poll joins a refresh already running; a client's
 * refresh joins only one that starts after it asked (refreshFromNow). A failed refresh keeps the
 * last good list and marks it stale. CPU, memory, OS and display come from `tart get`, cached per
 * VM and filled in the background.
 */
import { AppError } from "./errors.ts";
import { mapConcurrent } from "./limit-concurrency.ts";
import type { TartListEntry, TartPort, TartVmConfig } from "./ports.ts";
import { vmKey } from "./names.ts";
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

/** The list's JSON and a hash of it (for ETags). */
export interface ListJson {
  json: string;
  hash: string;
}

interface Snapshot {
  entries: TartListEntry[];
  byName: Map<string, TartListEntry>;
  ips: Map<string, string>;
  digests: Map<string, string>; // OCI tag name → digest it points at
  hiddenDigests: Set<string>; // digest entries shown through their tag
}

const DIGEST_SUFFIX = /@(sha256:[a-f0-9]{64})$/;

export class VmInventory {
  private snapshot: Snapshot = { entries: [], byName: new Map(), ips: new Map(), digests: new Map(), hiddenDigests: new Set() };
  private readonly configs = new Map<string, TartVmConfig>();
  /** Configs a task may have changed: still shown in the list, fetched again before use. */
  private readonly staleConfigs = new Set<string>();
  /** Counts invalidations per VM, so a `tart get` that raced one does not clear it. */
  private readonly invalidations = new Map<string, number>();
  private readonly fqnCache = new Map<string, string>();
  private inFlight: Promise<Vm[]> | null = null;
  private followUp: Promise<Vm[]> | null = null;
  private configFill: Promise<void> | null = null;
  private fillAgain = false;
  private status: InventoryStatus = { refreshed_at: null, stale: true, error: null };
  private version = 0;
  private cachedJson: ({ version: number } & ListJson) | null = null;
  private timer: Timer | null = null;

  constructor(private readonly options: InventoryOptions) {
    options.busy.onChange(() => this.version++);
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
    const { entries, hiddenDigests } = this.snapshot;
    return entries.filter((entry) => !hiddenDigests.has(entry.name)).map((entry) => this.toVm(entry));
  }

  /**
   * The list as JSON, built once per change: the hot read path serves these bytes. The hash
   * names the content, not the version, so a background refresh that found nothing new keeps it
   * and a client polling with it learns "unchanged" without downloading the list again.
   */
  listJson(): ListJson {
    if (this.cachedJson?.version !== this.version) {
      const json = JSON.stringify(this.list());
      this.cachedJson = { version: this.version, json, hash: Bun.hash(json).toString(36) };
    }
    return this.cachedJson;
  }

  find(name: string): Vm | null {
    const entry = this.entryOf(name);
    if (!entry) return null;
    return this.toVm(this.snapshot.hiddenDigests.has(entry.name) ? this.tagOfDigest(entry.name) ?? entry : entry);
  }

  /** The listed VM that `name` would collide with (names ignore case), if any. */
  existingName(name: string): string | null {
    const key = vmKey(name);
    return this.snapshot.entries.find((entry) => vmKey(entry.name) === key)?.name ?? null;
  }

  /**
   * A refresh for the background poll: asked while one runs, it shares that run, whatever that
   * run has already read.
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
  async config(name: string, force: boolean): Promise<TartVmConfig> {
    const cached = this.configs.get(name);
    if (cached && !force && !this.staleConfigs.has(name)) return cached;
    return this.fetchConfig(name);
  }

  private async fetchConfig(name: string): Promise<TartVmConfig> {
    const generation = this.invalidations.get(name);
    const config = await this.options.tart.get(name);
    this.configs.set(name, config);
    if (this.invalidations.get(name) === generation) this.staleConfigs.delete(name);
    this.version++;
    return config;
  }

  /**
   * A task changed this VM: its config (whose raw JSON holds the state) is fetched again before
   * it is served, and meanwhile the list keeps showing the last one rather than blanks.
   */
  invalidate(name: string): void {
    // Marked even without a cached config: a `tart get` already under way (the background fill
    // of a VM being created) may land after this with what it read before the change.
    this.staleConfigs.add(name);
    this.invalidations.set(name, (this.invalidations.get(name) ?? 0) + 1);
    this.fqnCache.delete(name);
    this.version++;
  }

  private async runRefresh(): Promise<Vm[]> {
    let entries: TartListEntry[];
    try {
      entries = await this.options.tart.list();
    } catch (error) {
      this.status = { ...this.status, stale: true, error: error instanceof AppError ? error.detail : String(error) };
      this.version++;
      throw error;
    }
    const running = entries.filter((entry) => entry.source === "local" && entry.state === "running");
    const [ips, digests] = await Promise.all([this.lookUpIps(running), this.lookUpDigests(entries)]);
    const names = new Set(entries.map((entry) => entry.name));
    const hiddenDigests = new Set<string>();
    for (const [tag, digest] of digests) {
      const digestEntry = `${repoOf(tag)}@${digest}`;
      if (names.has(digestEntry)) hiddenDigests.add(digestEntry);
    }
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    this.snapshot = { entries, byName, ips, digests, hiddenDigests };
    for (const name of new Set([...this.configs.keys(), ...this.staleConfigs, ...this.invalidations.keys()])) {
      if (names.has(name)) continue;
      this.configs.delete(name);
      this.staleConfigs.delete(name);
      this.invalidations.delete(name);
    }
    this.status = { refreshed_at: Date.now() / 1000, stale: false, error: null };
    this.version++;
    this.fillConfigs(entries);
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

  /** tag → digest through `tart fqn`, cached: a tag only moves when it is pulled again. */
  private async lookUpDigests(entries: TartListEntry[]): Promise<Map<string, string>> {
    const tags = entries.filter((entry) => entry.source === "oci" && !DIGEST_SUFFIX.test(entry.name));
    const digests = new Map<string, string>();
    await mapConcurrent(tags, this.options.configConcurrency, async (entry) => {
      let fqn = this.fqnCache.get(entry.name);
      if (fqn === undefined) {
        try {
          fqn = await this.options.tart.fqn(entry.name);
          this.fqnCache.set(entry.name, fqn);
        } catch {
          return; // tart < 2.6 has no fqn: the pair is shown as two entries
        }
      }
      const digest = DIGEST_SUFFIX.exec(fqn)?.[1];
      if (digest) digests.set(entry.name, digest);
    });
    return digests;
  }

  /** Fetches missing and stale configs of local VMs in the background, a few at a time. */
  private fillConfigs(entries: TartListEntry[]): void {
    if (this.configFill) {
      this.fillAgain = true; // this refresh may have brought VMs the running fill does not know
      return;
    }
    const missing = entries.filter(
      (entry) => entry.source === "local" && (!this.configs.has(entry.name) || this.staleConfigs.has(entry.name)),
    );
    if (!missing.length) return;
    this.configFill = mapConcurrent(missing, this.options.configConcurrency, async (entry) => {
      try {
        await this.fetchConfig(entry.name);
      } catch {
        // Shown without CPU/memory; GET .../config reports the error itself.
      }
    }).then(() => {
      this.configFill = null;
      if (this.fillAgain) {
        this.fillAgain = false;
        this.fillConfigs(this.snapshot.entries);
      }
    });
  }

  private entryOf(name: string): TartListEntry | undefined {
    return this.snapshot.byName.get(name);
  }

  private tagOfDigest(digestName: string): TartListEntry | undefined {
    const digest = DIGEST_SUFFIX.exec(digestName)?.[1];
    for (const [tag, d] of this.snapshot.digests) if (d === digest && repoOf(tag) === repoOf(digestName)) return this.entryOf(tag);
    return undefined;
  }

  private toVm(entry: TartListEntry): Vm {
    const config = this.configs.get(entry.name);
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
      digest: isOci ? this.snapshot.digests.get(entry.name) ?? DIGEST_SUFFIX.exec(entry.name)?.[1] ?? null : null,
      active_task_id: this.options.busy.holderOf(entry.name),
    };
  }
}

/** `ghcr.io/a/b:tag` or `ghcr.io/a/b@sha256:…` → `ghcr.io/a/b`. */
function repoOf(name: string): string {
  const at = name.indexOf("@");
  if (at >= 0) return name.slice(0, at);
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash);
  return colon >= 0 ? name.slice(0, colon) : name;
}

