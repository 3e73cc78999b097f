/**
 * Cancelling a task: which tasks can be cancelled, and how a cancelled one ends. Only the tasks that
 * make something slowly can: a pull, a clone, a create. Their tart command gets SIGINT, which tart
 * treats as Ctrl+C (it cancels the command and removes its temporary directory); what tart may
 * still leave is a clone it had already moved into place, which is deleted here. The task then
 * fails with an error that starts with "cancelled" and says what, if anything, was left behind.
 */
import { AppError, conflict } from "./errors.ts";
import { vmKey } from "./names.ts";
import type { TartPort } from "./ports.ts";
import { TartCommandError } from "./tart-command-error.ts";
import type { Task, TaskAction } from "./task.ts";
import { isFinished } from "./task.ts";
import type { TaskContext } from "./task-manager.ts";

/** Why each other action cannot be cancelled, and what to do instead. */
const NOT_CANCELLABLE: Partial<Record<TaskAction, string>> = {
  start_vm: "a start_vm task cannot be cancelled; wait for it to end, then stop the VM",
  stop_vm: 'a stop_vm task cannot be cancelled; tart stop ends by itself (it kills the VM after its timeout), or send the stop again with {"force": true}',
  suspend_vm: "a suspend_vm task cannot be cancelled; tart is saving the VM's state, which ends by itself",
  rename_vm: "a rename_vm task cannot be cancelled; it is one folder move, so wait for it to end",
  settings_vm: "a settings_vm task cannot be cancelled; a half-applied tart set would leave the VM half-changed, so wait for it to end",
  delete_vm: "a delete_vm task cannot be cancelled; a deletion cannot be undone, so wait for it to end",
  prune: "a prune task cannot be cancelled; what tart has deleted cannot be undone, so wait for it to end",
  registry_login: "a registry_login task cannot be cancelled; it ends when the registry has answered",
  registry_logout: "a registry_logout task cannot be cancelled; it ends at once",
};

/** Throws the 409 that refuses to cancel `task`, or returns when it may be cancelled. */
export function checkCancellable(task: Task): void {
  if (isFinished(task)) {
    const instead = task.status === "failed" ? "nothing is running; retry it if you want it again" : "delete what it made if you do not want it";
    throw conflict(`Task ${task.id} has already ${task.status} and cannot be cancelled; ${instead}`);
  }
  const refusal = NOT_CANCELLABLE[task.action];
  if (refusal) throw conflict(`Task ${task.id}: ${refusal}`);
}

/** How a cancelled task fails: its detail is the task's `error`. */
export class TaskCancelled extends AppError {
  constructor(detail: string) {
    super("cancelled", `cancelled${detail}`);
  }
}

/** What a cancelled pull leaves: nothing, unless tart had to be killed before it could clean up. */
export function pullLeftBehind(error: unknown): string {
  if (error instanceof TartCommandError && error.outcome.signal === "SIGKILL") {
    return "; tart did not stop in time and was killed, so its partial download stays in tart's tmp folder until tart's next clean-up";
  }
  return "; tart removes its partial download when it is cancelled, so nothing was left behind";
}

/**
 * Runs a step that makes the VM `target` (a clone, or setting up a fresh clone). If the task is
 * cancelled meanwhile and the step fails, whatever tart left of `target` is deleted and the task
 * fails as cancelled; `during` says which step it was (" while configuring dev", or "").
 */
export async function makingVm(ctx: TaskContext, tart: TartPort, target: string, during: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!ctx.signal.aborted) throw error;
    throw new TaskCancelled(`${during}; ${await removeHalfMade(ctx, tart, target)}`);
  }
}

/** A task cancelled between two steps, after `target` was made: it is deleted as half-made. */
export async function cancelledAfter(ctx: TaskContext, tart: TartPort, target: string, during: string): Promise<never> {
  throw new TaskCancelled(`${during}; ${await removeHalfMade(ctx, tart, target)}`);
}

/** Deletes `target` if tart left it behind; says what became of it. */
async function removeHalfMade(ctx: TaskContext, tart: TartPort, target: string): Promise<string> {
  let exists: boolean;
  try {
    exists = (await tart.list()).some((entry) => entry.source === "local" && vmKey(entry.name) === vmKey(target));
  } catch (error) {
    return `could not check whether ${target} was left behind (${(error as Error).message}); look for it in the VM list`;
  }
  if (!exists) return `${target} was not made, so nothing was left behind`;
  ctx.log(`deleting the half-made ${target}`);
  try {
    await tart.delete(target, ctx.logOnlyObserver());
    return `the half-made clone ${target} was deleted`;
  } catch (error) {
    return `the half-made clone ${target} could not be deleted (${(error as Error).message}); delete it yourself`;
  }
}
