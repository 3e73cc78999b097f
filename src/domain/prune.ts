/**
 * `tart prune` as a task: remove OCI and IPSW cache entries, or local VMs that are not running,
 * last used more than N days ago and/or beyond a space budget (the least recently used go first).
 * tart prints nothing about what it removed, so the task measures tart's home before and after
 * (TartHomeUsage: the same entries, sized the way tart sizes them) and its result says the bytes
 * before and after, what was reclaimed, the volume's free space on both sides, and which entries
 * went. While it runs, every entry it may remove is locked, so it waits for no one: a prune while
 * a clone reads an image, or a start runs a VM, is refused with a 409 naming that task.
 */
import { AppError, invalid } from "./errors.ts";
import type { PrunableEntry, PruneEntries, TartHomeUsage, TartPort } from "./ports.ts";
import type { Task } from "./task.ts";
import { launchTask, type LaunchDeps } from "./task-launcher.ts";
import type { VmInventory } from "./vm-inventory.ts";
import type { LockRequest } from "./vm-locks.ts";

export interface PruneRequest {
  entries: PruneEntries;
  older_than_days?: number | null;
  space_budget_gb?: number | null;
}

/** One prune at a time: the name is no VM's (a space is in none). */
const PRUNE_LOCK: LockRequest = { name: "tart prune", mode: "exclusive" };

export class TartPrune {
  constructor(
    private readonly deps: LaunchDeps & {
      tart: TartPort;
      usage: TartHomeUsage;
      inventory: Pick<VmInventory, "list" | "settle">;
      requireTart: () => void;
      /** Told when a prune has run: what was measured before is out of date. */
      afterPrune?: () => void;
    },
  ) {}

  prune(request: PruneRequest): Task {
    const entries = request.entries;
    if (entries !== "caches" && entries !== "vms") throw invalid('entries: must be "caches" or "vms"');
    const olderThanDays = request.older_than_days ?? undefined;
    const spaceBudgetGB = request.space_budget_gb ?? undefined;
    // tart's own rule (Prune.swift validate()), checked before tart runs.
    if (olderThanDays === undefined && spaceBudgetGB === undefined) {
      throw invalid("older_than_days or space_budget_gb: at least one pruning criterion must be given (tart needs --older-than or --space-budget)");
    }
    this.deps.requireTart();
    const locked = this.candidates(entries);
    const params = { entries, ...(olderThanDays !== undefined ? { older_than_days: olderThanDays } : {}), ...(spaceBudgetGB !== undefined ? { space_budget_gb: spaceBudgetGB } : {}) };
    return launchTask(this.deps, {
      action: "prune",
      subject: null,
      params,
      locks: [PRUNE_LOCK, ...locked.map((name) => ({ name, mode: "exclusive" as const }))],
      settle: locked,
      work: async (ctx) => {
        const before = this.measure(entries);
        ctx.log(`${describe(entries)}: ${before.entries.length} entries, ${formatBytes(before.bytes)} before pruning`);
        try {
          await this.deps.tart.prune({ entries, olderThanDays, spaceBudgetGB }, ctx.observer());
        } finally {
          this.deps.afterPrune?.();
        }
        const after = this.measure(entries);
        const kept = new Set(after.entries.map((entry) => entry.name));
        const removed = before.entries.filter((entry) => !kept.has(entry.name));
        const reclaimed = Math.max(0, before.bytes - after.bytes);
        ctx.log(`removed ${removed.length} of ${before.entries.length} entries; ${formatBytes(reclaimed)} reclaimed, ${formatBytes(after.bytes)} left`);
        return {
          message: `Pruned ${describe(entries)}: ${formatBytes(reclaimed)} reclaimed`,
          ...params,
          bytes_before: before.bytes,
          bytes_after: after.bytes,
          bytes_reclaimed: reclaimed,
          free_bytes_before: before.free,
          free_bytes_after: after.free,
          removed: removed.map(({ name, kind, bytes }) => ({ name, kind, bytes })),
        };
      },
    });
  }

  /** The inventory's names of what this prune may remove: tart's OCI images, or its local VMs. */
  private candidates(entries: PruneEntries): string[] {
    const kind = entries === "caches" ? "oci" : "local";
    return this.deps.inventory.list().filter((vm) => vm.kind === kind).map((vm) => vm.name);
  }

  private measure(entries: PruneEntries): { entries: PrunableEntry[]; bytes: number; free: number | null } {
    try {
      const found = this.deps.usage.entries(entries);
      return { entries: found, bytes: found.reduce((sum, entry) => sum + entry.bytes, 0), free: this.deps.usage.volume().free_bytes };
    } catch (error) {
      throw new AppError("internal", `could not measure ${this.deps.usage.home}: ${(error as Error).message}`);
    }
  }
}

const describe = (entries: PruneEntries) => (entries === "caches" ? "the OCI and IPSW caches" : "local VMs");

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}
