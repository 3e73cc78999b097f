/**
 * The cached VM inventory. Reads never wait on tart: they get the last good snapshot.
 *
 * It follows tart by events, not by polling: tart's home is watched (adapters/tart/home-watcher.ts)
 * and a change there, a task's end or the exit of a `tart run` this server started asks for a
 * *light* look: one `tart list`, and `tart ip` only for the VMs that newly run, run without an IP
 * yet, or whose folder changed. A VM that stayed running keeps its IP; a config stays cached
 * until its config.json changes (config-cache.ts). Bursts of changes (50 clones landing) are
 * coalesced into a handful of looks. A slow reconcile (one light look a minute by default) is the
 * safety net for what no event shows: whether a VM runs is an fcntl lock, invisible to a watcher.
 * A *full* look (`POST /api/vms/refresh`, the first look at start) asks every running VM's IP.
 *
 * A look asked for while one runs joins it (the reconcile) or the next one (refreshFromNow: a
 * client's refresh must reflect tart at or after its call). A failed look keeps the last good
 * list and marks it stale. An OCI tag and its digest are one image (oci-digest-folding.ts); the
 * list's JSON and ETag are built once per change (list-json-cache.ts), and every change is told
 * to `onChange` listeners (the event stream).
 */
import { ConfigCache, type ConfigMemory } from "./config-cache.ts";
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
  /** How long changes are gathered before one look (default 150 ms; at most 1 s after the first). */
  coalesceMs?: number;
  /** Configs remembered across restarts (config-cache.ts); none: every start asks tart. */
  configMemory?: ConfigMemory;
  /** Which running VMs this server started suspendable (vm-runs.ts); a change shows at once. */
  runs?: { suspendableOf(name: string): boolean | null; onChange(listener: () => void): () => void };
}

/** What a look asks of tart beyond one `tart list`. */
interface LookPlan {
  /** `tart ip` for every running VM (a full look), not only the ones that need it. */
  allIps: boolean;
  /** VMs whose folder changed or whose task ended: asked for their IP if they run. */
  dirty: Set<string>;
}

const FULL = (): LookPlan => ({ allIps: true, dirty: new Set() });
const LIGHT = (): LookPlan => ({ allIps: false, dirty: new Set() });
const MAX_COALESCE_MS = 1000;
/** A running VM without an IP is asked again after 1 s, 2 s, 4 s … at most once a minute. */
const BOOT_IP_FIRST_MS = 1000;
const BOOT_IP_MAX_MS = 60_000;

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
  /** What the next look (the follow-up) must ask, merged from everyone waiting for it. */
  private nextPlan: LookPlan = LIGHT();
  private status: InventoryStatus = { refreshed_at: null, stale: true, error: null };
  private reconcileTimer: Timer | null = null;
  private coalesce: { timer: Timer; since: number } | null = null;
  private bootIps: { timer: Timer | null; delayMs: number; waiting: Set<string> } = { timer: null, delayMs: BOOT_IP_FIRST_MS, waiting: new Set() };
  private readonly listeners = new Set<() => void>();
  private stopped = false;

  constructor(private readonly options: InventoryOptions) {
    this.configs = new ConfigCache(options.tart, options.configConcurrency, () => this.changed(), options.configMemory ?? null);
    this.digests = new OciDigests(options.tart, options.configConcurrency);
    options.busy.onChange(() => this.changed());
    options.runs?.onChange(() => this.changed());
  }

  /** A light look every `intervalMs` until stopped: the safety net for what events miss. */
  startReconciling(intervalMs: number): void {
    this.stopped = false;
    this.reconcileTimer = setInterval(() => void this.refresh(LIGHT()).catch(() => {}), intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = null;
    if (this.coalesce) clearTimeout(this.coalesce.timer);
    this.coalesce = null;
    if (this.bootIps.timer) clearTimeout(this.bootIps.timer);
    this.bootIps.timer = null;
  }

  /** Called (synchronously, maybe often) whenever what the list shows may have changed. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Something changed outside this server's view (tart's home, a `tart run` that exited): look
   * soon, gathering what else changes meanwhile into the same look.
   */
  noteChanged(changes: { name: string; configChanged?: boolean }[] | "everything"): void {
    if (changes === "everything") {
      // Configs are kept: re-reading every VM's would rewrite every Accessed date.
      this.nextPlan.allIps = true;
    } else {
      for (const { name, configChanged } of changes) {
        this.nextPlan.dirty.add(name);
        if (configChanged) this.configs.fileChanged(name);
      }
    }
    this.scheduleLook();
  }

  /** A task changed these VMs: their configs are read again and the list shows the effect. */
  async settle(names: string[]): Promise<Vm[]> {
    for (const name of names) this.invalidate(name);
    return this.refreshFromNow({ allIps: false, dirty: new Set(names) });
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
   * A look for the reconcile and the first look at start (full unless told): asked while one
   * runs, it shares that run, whatever that run has already read.
   */
  refresh(plan: LookPlan = FULL()): Promise<Vm[]> {
    this.inFlight ??= this.runRefresh(plan).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * A look that reflects tart at or after this call (POST /api/vms/refresh, after a task's
   * change, a VM looked up by name): a run already going may have read tart before the call, so
   * this waits for it and joins the next one, which starts after every caller it serves and asks
   * what all of them need.
   */
  refreshFromNow(plan: LookPlan = FULL()): Promise<Vm[]> {
    this.mergeNext(plan);
    if (!this.inFlight) return this.refresh(this.takeNext());
    this.followUp ??= this.inFlight
      .catch(() => {})
      .then(() => {
        this.followUp = null;
        return this.refresh(this.takeNext());
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
    this.changed();
  }

  private changed(): void {
    this.json.changed();
    for (const listener of this.listeners) listener();
  }

  private mergeNext(plan: LookPlan): void {
    this.nextPlan.allIps ||= plan.allIps;
    for (const name of plan.dirty) this.nextPlan.dirty.add(name);
  }

  private takeNext(): LookPlan {
    const plan = this.nextPlan;
    this.nextPlan = LIGHT();
    return plan;
  }

  /** One look after the changes stop coming for `coalesceMs`, and at most 1 s after the first. */
  private scheduleLook(): void {
    if (this.stopped) return;
    const wait = this.options.coalesceMs ?? 150;
    const now = Date.now();
    const since = this.coalesce?.since ?? now;
    if (this.coalesce) clearTimeout(this.coalesce.timer);
    const timer = setTimeout(() => {
      this.coalesce = null;
      void this.refreshFromNow(LIGHT()).catch(() => {});
    }, Math.max(0, Math.min(wait, since + MAX_COALESCE_MS - now)));
    this.coalesce = { timer, since };
  }

  private async runRefresh(plan: LookPlan): Promise<Vm[]> {
    let entries: TartListEntry[];
    try {
      entries = await this.options.tart.list();
    } catch (error) {
      this.status = { ...this.status, stale: true, error: error instanceof AppError ? error.detail : String(error) };
      this.changed();
      throw error;
    }
    const before = this.snapshot;
    const running = entries.filter((entry) => entry.source === "local" && entry.state === "running");
    // A VM that stayed running keeps its IP; only what may have changed is asked.
    const ask = running.filter(
      (entry) => plan.allIps || plan.dirty.has(entry.name) || !before.ips.has(entry.name) || before.byName.get(entry.name)?.state !== "running",
    );
    const [asked, folding] = await Promise.all([this.lookUpIps(ask), this.digests.fold(entries)]);
    const ips = new Map<string, string>();
    const askedNames = new Set(ask.map((entry) => entry.name));
    for (const entry of running) {
      const ip = askedNames.has(entry.name) ? asked.get(entry.name) : before.ips.get(entry.name);
      if (ip) ips.set(entry.name, ip);
    }
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    this.snapshot = { entries, byName, ips, folding };
    this.configs.retain(new Set(byName.keys()));
    this.status = { refreshed_at: Date.now() / 1000, stale: false, error: null };
    this.changed();
    this.configs.fillFrom(entries, () => this.snapshot.entries);
    this.followBootingIps(running.filter((entry) => !ips.has(entry.name)).map((entry) => entry.name));
    return this.list();
  }

  /**
   * A running VM without an IP is still booting (no event says when DHCP answers): ask its IP
   * alone, backing off, until it has one or stops running.
   */
  private followBootingIps(waiting: string[]): void {
    const known = this.bootIps.waiting;
    const fresh = waiting.some((name) => !known.has(name));
    this.bootIps.waiting = new Set(waiting);
    if (!waiting.length || this.stopped) {
      if (this.bootIps.timer) clearTimeout(this.bootIps.timer);
      this.bootIps.timer = null;
      this.bootIps.delayMs = BOOT_IP_FIRST_MS;
      return;
    }
    if (fresh) {
      if (this.bootIps.timer) clearTimeout(this.bootIps.timer);
      this.bootIps.timer = null;
      this.bootIps.delayMs = BOOT_IP_FIRST_MS;
    }
    this.bootIps.timer ??= setTimeout(() => void this.askBootingIps(), this.bootIps.delayMs);
  }

  private async askBootingIps(): Promise<void> {
    this.bootIps.timer = null;
    this.bootIps.delayMs = Math.min(this.bootIps.delayMs * 2, BOOT_IP_MAX_MS);
    const still = [...this.bootIps.waiting].map((name) => this.snapshot.byName.get(name)).filter((entry): entry is TartListEntry => entry?.state === "running");
    const found = await this.lookUpIps(still);
    if (found.size) {
      for (const [name, ip] of found) if (this.snapshot.byName.get(name)?.state === "running") this.snapshot.ips.set(name, ip);
      this.changed();
    }
    this.followBootingIps(still.map((entry) => entry.name).filter((name) => !this.snapshot.ips.has(name)));
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
      suspendable: entry.state === "running" ? (this.options.runs?.suspendableOf(entry.name) ?? null) : null,
    };
  }
}
