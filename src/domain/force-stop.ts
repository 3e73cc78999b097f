/**
 * A force stop, for a VM whose graceful stop hangs: `tart stop --timeout 0 NAME` (SIGINT, then
 * SIGKILL at once), given only a few seconds itself; then, if the `tart run` this server started
 * for the VM is still alive, a short countdown in the task log and SIGKILL to it. A VM this
 * server did not start cannot be killed from here (its pid could be anyone's by now): then
 * `tart stop`'s verdict is the task's.
 */
import { AppError } from "./errors.ts";
import type { TartPort } from "./ports.ts";
import type { TaskContext } from "./task-manager.ts";
import type { VmRuns } from "./vm-runs.ts";

export interface ForceStopTiming {
  /** How long `tart stop --timeout 0` may take before it is given up on (it should take ~0.1 s). */
  tartStopMs: number;
  /** Seconds counted down in the log before a `tart run` still alive is killed. */
  countdownSeconds: number;
}

export const FORCE_STOP_TIMING: ForceStopTiming = { tartStopMs: 5000, countdownSeconds: 3 };

/** How long a killed `tart run` gets to be reaped before the task says it is gone. */
const REAP_WAIT_MS = 2000;

export async function forceStop(
  ctx: TaskContext,
  deps: { tart: TartPort; runs: VmRuns; name: string; timing?: ForceStopTiming },
): Promise<Record<string, unknown>> {
  const { tart, runs, name } = deps;
  const timing = deps.timing ?? FORCE_STOP_TIMING;
  const giveUp = AbortSignal.timeout(timing.tartStopMs);
  let stopError: unknown = null;
  try {
    await tart.stop(name, 0, ctx.observer(), AbortSignal.any([ctx.signal, giveUp]));
  } catch (error) {
    stopError = error;
    if (giveUp.aborted) ctx.log(`tart stop did not return within ${timing.tartStopMs / 1000} s and was interrupted`);
  }
  const known = runs.get(name);
  if (!known || (await hasExited(known.run.exited))) {
    if (stopError && !known) throw giveUp.aborted && !ctx.signal.aborted ? cannotKill(name, timing) : stopError;
    return { message: `VM ${name} stopped (forced)`, forced: true, killed: false };
  }
  const { run } = known;
  for (let left = timing.countdownSeconds; left > 0; left--) {
    ctx.log(`tart run (pid ${run.pid}) is still running; killing it in ${left} s`);
    if (await exitsWithin(run.exited, 1000)) return { message: `VM ${name} stopped (forced)`, forced: true, killed: false };
  }
  ctx.log(`killing tart run (pid ${run.pid}) with SIGKILL`);
  run.kill();
  if (!(await exitsWithin(run.exited, REAP_WAIT_MS))) {
    throw new AppError("tart_failed", `tart run (pid ${run.pid}) of ${name} was sent SIGKILL but had not exited ${REAP_WAIT_MS / 1000} s later`);
  }
  return { message: `VM ${name} stopped: its tart run (pid ${run.pid}) was killed`, forced: true, killed: true };
}

function cannotKill(name: string, timing: ForceStopTiming): AppError {
  return new AppError(
    "timeout",
    `tart stop --timeout 0 did not stop ${name} within ${timing.tartStopMs / 1000} s, and this server did not start its tart run ` +
      "(or was restarted since), so it cannot kill it; quit that tart run yourself",
  );
}

async function hasExited(exited: Promise<unknown>): Promise<boolean> {
  return exitsWithin(exited, 0);
}

async function exitsWithin(exited: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: Timer | undefined;
  const done = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return done;
}
