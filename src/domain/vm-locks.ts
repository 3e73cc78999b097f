/**
 * Per-VM operation locks, so two operations never act on one VM at once (delete while starting,
 * two clones to one new name). Mutations take a VM exclusively; cloning only reads its source, so
 * many clones of one base image may run together. Keys ignore case: Tart's VMs are directories on
 * a case-insensitive APFS volume, so "Dev" and "dev" are one VM.
 */
import { conflict } from "./errors.ts";
import { vmKey } from "./names.ts";

export type LockMode = "exclusive" | "shared";

interface Holder {
  taskId: string;
  action: string;
  mode: LockMode;
}

export interface LockRequest {
  name: string;
  mode: LockMode;
}

export class VmLocks {
  private readonly held = new Map<string, Holder[]>();

  /**
   * Takes every lock or none; throws a conflict naming the task in the way. Synchronous, so
   * check-and-take cannot interleave with another request.
   */
  acquire(requests: LockRequest[], taskId: string, action: string): () => void {
    for (const request of requests) {
      const blocker = this.blocker(request);
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
    };
  }

  /** The task currently holding a VM exclusively, if any (shown on the VM as active_task_id). */
  holderOf(name: string): string | null {
    const holders = this.held.get(vmKey(name));
    return holders?.find((h) => h.mode === "exclusive")?.taskId ?? holders?.[0]?.taskId ?? null;
  }

  private blocker(request: LockRequest): Holder | null {
    const holders = this.held.get(vmKey(request.name)) ?? [];
    if (request.mode === "shared") return holders.find((h) => h.mode === "exclusive") ?? null;
    return holders[0] ?? null;
  }
}

