/**
 * The config cache: `tart get` per local VM (CPU, memory, OS, display, and the raw JSON that
 * GET …/config returns), fetched in the background a few at a time after each refresh, and
 * again before use once a task may have changed the VM. An invalidated config is still shown in
 * the list (rather than blanks) until the new one lands; a count of invalidations per VM keeps a
 * `tart get` that raced one from clearing it.
 *
 * Configs are remembered across restarts (`ConfigMemory`, in the data dir) with a stamp of the
 * VM's config.json (its size and modification time): a restarted server shows what it knew of a
 * VM whose file has not changed without running `tart get` for it — each of which rewrites the
 * VM's access date, so a restart used to make every VM look just used. A remembered config is
 * shown, not served: GET …/config asks tart, since the raw JSON holds the running state.
 */
import { mapConcurrent } from "./limit-concurrency.ts";
import type { TartListEntry, TartPort, TartVmConfig } from "./ports.ts";

/** Where configs are remembered between runs, and what tells that a VM's config file changed. */
export interface ConfigMemory {
  /** The config file's identity now (size and modification time), or null when it cannot be read. */
  stamp(name: string): string | null;
  load(): Record<string, { stamp: string; config: TartVmConfig }>;
  save(entries: Record<string, { stamp: string; config: TartVmConfig }>): void;
}

const SAVE_DELAY_MS = 2000;

export class ConfigCache {
  private readonly configs = new Map<string, TartVmConfig>();
  /** Configs a task may have changed: still shown in the list, fetched again before use. */
  private readonly stale = new Set<string>();
  private readonly invalidations = new Map<string, number>();
  private fill: Promise<void> | null = null;
  private fillAgain = false;
  /** Configs remembered from the last run, not yet used or checked. */
  private remembered: Record<string, { stamp: string; config: TartVmConfig }> = {};
  /** Shown from memory: asked of tart only when served, or once invalidated. */
  private readonly restored = new Set<string>();
  private readonly stamps = new Map<string, string>();
  private saveTimer: Timer | null = null;

  constructor(
    private readonly tart: TartPort,
    private readonly concurrency: number,
    /** A config was stored: what the list shows may have changed. */
    private readonly onChange: () => void,
    private readonly memory: ConfigMemory | null = null,
  ) {
    try {
      this.remembered = memory?.load() ?? {};
    } catch {
      this.remembered = {};
    }
  }

  /** The last config read, for display (possibly stale). */
  peek(name: string): TartVmConfig | undefined {
    return this.configs.get(name);
  }

  /** `tart get`, cached; `force` bypasses the cache. */
  async get(name: string, force: boolean): Promise<TartVmConfig> {
    const cached = this.configs.get(name);
    if (cached && !force && !this.stale.has(name) && !this.restored.has(name)) return cached;
    return this.fetch(name);
  }

  /** A VM's config file may have changed (a file event): read again only if its stamp moved. */
  fileChanged(name: string): void {
    const known = this.stamps.get(name);
    if (known !== undefined && this.memory && this.memory.stamp(name) === known) return;
    this.invalidate(name);
  }

  invalidate(name: string): void {
    this.restored.delete(name);
    // Marked even without a cached config: a `tart get` already under way (the background fill
    // of a VM being created) may land after this with what it read before the change.
    this.stale.add(name);
    this.invalidations.set(name, (this.invalidations.get(name) ?? 0) + 1);
  }

  /** Forgets the VMs no longer listed. */
  retain(names: Set<string>): void {
    for (const name of new Set([...this.configs.keys(), ...this.stale, ...this.invalidations.keys()])) {
      if (names.has(name)) continue;
      this.configs.delete(name);
      this.stale.delete(name);
      this.invalidations.delete(name);
      this.restored.delete(name);
      this.stamps.delete(name);
    }
  }

  /** Fetches missing and stale configs of local VMs in the background, a few at a time. */
  fillFrom(entries: TartListEntry[], latest: () => TartListEntry[]): void {
    if (this.fill) {
      this.fillAgain = true; // this refresh may have brought VMs the running fill does not know
      return;
    }
    this.restoreFrom(entries);
    const missing = entries.filter((entry) => entry.source === "local" && (!this.configs.has(entry.name) || this.stale.has(entry.name)));
    if (!missing.length) return;
    this.fill = mapConcurrent(missing, this.concurrency, async (entry) => {
      try {
        await this.fetch(entry.name);
      } catch {
        // Shown without CPU/memory; GET .../config reports the error itself.
      }
    }).then(() => {
      this.fill = null;
      if (this.fillAgain) {
        this.fillAgain = false;
        this.fillFrom(latest(), latest);
      }
    });
  }

  /** Takes the remembered configs of listed VMs whose file is unchanged; the rest are fetched. */
  private restoreFrom(entries: TartListEntry[]): void {
    if (!this.memory || !Object.keys(this.remembered).length) return;
    let restored = false;
    for (const entry of entries) {
      const kept = this.remembered[entry.name];
      if (!kept || entry.source !== "local" || this.configs.has(entry.name)) continue;
      delete this.remembered[entry.name];
      if (this.memory.stamp(entry.name) !== kept.stamp) continue;
      this.configs.set(entry.name, kept.config);
      this.stamps.set(entry.name, kept.stamp);
      this.restored.add(entry.name);
      restored = true;
    }
    if (restored) this.onChange();
  }

  private async fetch(name: string): Promise<TartVmConfig> {
    const generation = this.invalidations.get(name);
    // Stamped before asking: a change while tart answers leaves the stamp old, so it is read again.
    const stamp = this.memory?.stamp(name) ?? null;
    const config = await this.tart.get(name);
    this.configs.set(name, config);
    this.restored.delete(name);
    if (stamp !== null) this.stamps.set(name, stamp);
    if (this.invalidations.get(name) === generation) this.stale.delete(name);
    this.onChange();
    this.saveSoon();
    return config;
  }

  private saveSoon(): void {
    if (!this.memory || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      const entries: Record<string, { stamp: string; config: TartVmConfig }> = {};
      for (const [name, config] of this.configs) {
        const stamp = this.stamps.get(name);
        if (stamp !== undefined) entries[name] = { stamp, config };
      }
      try {
        this.memory!.save(entries);
      } catch {
        // Only a restart's shortcut is lost; the configs are still in memory.
      }
    }, SAVE_DELAY_MS);
    this.saveTimer.unref?.();
  }
}
