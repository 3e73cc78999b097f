/**
 * Per-VM operation locks, so two operations never act on one VM at once (delete while starting,
 * two clones to one new name). Mutations, a pull included, take a VM exclusively; cloning only
 * reads its source, so many clones of one base image may run together. Keys ignore case: Tart's
 * VMs are directories on a case-insensitive APFS volume, so "Dev" and "dev" are one VM.
 *
 * The locks are also what makes a VM "busy" (its active_task_id), so they tell their listeners
 * (the inventory) each time a lock is taken or released: nothing else has to remember to.
 */
import { conflict } from "./errors.ts";
import { vmKey } from "./names.ts";

export type LockMode = "exclusive" | "shared";

export interface Holder {
  taskId: string;
  action: string;
  mode: LockMode;
}

export interface LockRequest {
  name: string;
  mode: LockMode;
}

/** Told the names whose locks were just taken or released. */
export type LockListener = (names: string[]) => void;

export class VmLocks {
  private readonly held = new Map<string, Holder[]>();
  private readonly listeners = new Set<LockListener>();

  /** Calls `listener` after every take and release; returns the unsubscribe. */
  onChange(listener: LockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Takes every lock or none; throws a conflict naming the task in the way. Synchronous, so
   * check-and-take cannot interleave with another request. `overtakes` lets a holder it accepts
   * share the lock for a while: a force stop taking over from a graceful stop that hangs (the
   * caller then ends that task; until it has, both hold the VM and the newer one is shown).
   */
  acquire(requests: LockRequest[], taskId: string, action: string, overtakes?: (holder: Holder) => boolean): () => void {
    for (const request of requests) {
      const blocker = this.blocker(request, overtakes);
      if (blocker) {
        throw conflict(
          `VM "${request.name}" is busy: task ${blocker.taskId} (${blocker.action}) is still running on it; ` +
            "wait for it to finish",
        );
      }
    }
    for (const request of requests) {
      const key = vmKey(request.name);
      this.held.set(key, [...(this.held.get(key) ?? []), { taskId, action, mode: request.mode }]);
    }
    const names = requests.map((request) => request.name);
    this.notify(names);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const request of requests) {
        const key = vmKey(request.name);
        const rest = (this.held.get(key) ?? []).filter((holder) => holder.taskId !== taskId);
        if (rest.length) this.held.set(key, rest);
        else this.held.delete(key);
      }
      this.notify(names);
    };
  }

  /**
   * The task holding a VM (the exclusive holder — the newest, during a take-over — else the first
   * shared one), shown as active_task_id.
   */
  holderOf(name: string): string | null {
    const holders = this.held.get(vmKey(name));
    return holders?.findLast((h) => h.mode === "exclusive")?.taskId ?? holders?.[0]?.taskId ?? null;
  }

  /** Every task holding a VM now, oldest first. */
  holdersOf(name: string): readonly Holder[] {
    return this.held.get(vmKey(name)) ?? [];
  }

  private notify(names: string[]): void {
    for (const listener of this.listeners) listener(names);
  }

  private blocker(request: LockRequest, overtakes?: (holder: Holder) => boolean): Holder | null {
    const holders = (this.held.get(vmKey(request.name)) ?? []).filter((h) => !overtakes?.(h));
    if (request.mode === "shared") return holders.find((h) => h.mode === "exclusive") ?? null;
    return holders[0] ?? null;
  }
}

