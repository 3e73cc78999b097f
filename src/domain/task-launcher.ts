/**
 * How every task starts (VmOperations' and the ones about no one VM: prune, registry logins):
 * take the locks first (a 409 naming the task in the way, before any task exists), create the
 * task, run the work in the background, and release the locks and let the inventory catch up
 * before the task is reported finished, so a client that sees "completed" can act at once.
 */
import type { Task, TaskAction } from "./task.ts";
import type { TaskManager, TaskWork } from "./task-manager.ts";
import type { Holder, LockRequest, VmLocks } from "./vm-locks.ts";
import type { VmInventory } from "./vm-inventory.ts";

export interface LaunchDeps {
  tasks: TaskManager;
  locks: VmLocks;
  inventory: Pick<VmInventory, "settle">;
}

export interface Launch {
  action: TaskAction;
  /** What the task is about, shown as its `vm_name` (null: nothing in particular). */
  subject: string | null;
  /** Kept with the task for a retry: never a secret. */
  params: Record<string, unknown>;
  locks: LockRequest[];
  work: TaskWork;
  /** Names the inventory should look at again once the work is done. */
  settle?: string[];
  /** Runs as the locks are released, before the inventory is asked. */
  onEnd?: () => void;
  /** Which holders of these locks this task may take over (a force stop over a hanging stop). */
  overtakes?: (holder: Holder) => boolean;
  /**
   * The task's id, when its caller took locks under it before the task existed (a cluster VM's
   * lock is held across the controller's answer): a 409 then names the task that follows.
   */
  id?: string;
}

export function launchTask(deps: LaunchDeps, launch: Launch): Task {
  const id = launch.id ?? crypto.randomUUID();
  const release = deps.locks.acquire(launch.locks, id, launch.action, launch.overtakes);
  const task = deps.tasks.create(launch.action, launch.subject, launch.params, id);
  void deps.tasks.run(task, async (ctx) => {
    try {
      return await launch.work(ctx);
    } finally {
      release();
      launch.onEnd?.();
      if (launch.settle) await deps.inventory.settle(launch.settle).catch(() => {});
    }
  });
  return task;
}
