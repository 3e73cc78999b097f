/**
 * The config cache: `tart get` per local VM (CPU, memory, OS, display, and the raw JSON that
 * GET …/config returns), fetched in the background a few at a time after each refresh, and
 * again before use once a task may have changed the VM. An invalidated config is still shown in
 * the list (rather than blanks) until the new one lands; a count of invalidations per VM keeps a
 * `tart get` that raced one from clearing it.
 */
import { mapConcurrent } from "./limit-concurrency.ts";
import type { TartListEntry, TartPort, TartVmConfig } from "./ports.ts";

export class ConfigCache {
  private readonly configs = new Map<string, TartVmConfig>();
  /** Configs a task may have changed: still shown in the list, fetched again before use. */
  private readonly stale = new Set<string>();
  private readonly invalidations = new Map<string, number>();
  private fill: Promise<void> | null = null;
  private fillAgain = false;

  constructor(
    private readonly tart: TartPort,
    private readonly concurrency: number,
    /** A config was stored: what the list shows may have changed. */
    private readonly onChange: () => void,
  ) {}

  /** The last config read, for display (possibly stale). */
  peek(name: string): TartVmConfig | undefined {
    return this.configs.get(name);
  }

  /** `tart get`, cached; `force` bypasses the cache. */
  async get(name: string, force: boolean): Promise<TartVmConfig> {
    const cached = this.configs.get(name);
    if (cached && !force && !this.stale.has(name)) return cached;
    return this.fetch(name);
  }

  invalidate(name: string): void {
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
    }
  }

  /** Fetches missing and stale configs of local VMs in the background, a few at a time. */
  fillFrom(entries: TartListEntry[], latest: () => TartListEntry[]): void {
    if (this.fill) {
      this.fillAgain = true; // this refresh may have brought VMs the running fill does not know
      return;
    }
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

  private async fetch(name: string): Promise<TartVmConfig> {
    const generation = this.invalidations.get(name);
    const config = await this.tart.get(name);
    this.configs.set(name, config);
    if (this.invalidations.get(name) === generation) this.stale.delete(name);
    this.onChange();
    return config;
  }
}
