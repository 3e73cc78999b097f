/**
 * Starting a task the way VmOperations starts its own (its private `launch`): take the locks
 * first (a 409 naming the task in the way, before any task exists), create the task, run the work
 * in the background, and release the locks and let the inventory catch up before the task is
 * reported finished. For the operations that are not about one VM: prune and registry logins.
 */
import type { Task, TaskAction } from "./task.ts";
import type { TaskManager, TaskWork } from "./task-manager.ts";
import type { LockRequest, VmLocks } from "./vm-locks.ts";
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
}

export function launchTask(deps: LaunchDeps, launch: Launch): Task {
  const id = crypto.randomUUID();
  const release = deps.locks.acquire(launch.locks, id, launch.action);
  const task = deps.tasks.create(launch.action, launch.subject, launch.params, id);
  void deps.tasks.run(task, async (ctx) => {
    try {
      return await launch.work(ctx);
    } finally {
      release();
      if (launch.settle) await deps.inventory.settle(launch.settle).catch(() => {});
    }
  });
  return task;
}
