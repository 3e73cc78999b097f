/**
 * Suspending a VM: `tart suspend NAME` only sends SIGUSR1 to the VM's `tart run` and returns at
 * once; that run then pauses the VM, writes its state to `state.vzvmsave` and exits 0 — or, when
 * the VM cannot be saved, prints `Failed to suspend the VM: …` on stdout and exits 1, and the VM
 * is gone (spec §4.4, §4.12). So the task follows the run (this server started it: the operation
 * refuses any other) until it exits, logging what it prints, and reports that exit. tart's own
 * refusals are put in one plain sentence: its "not running" text is double-wrapped
 * (`VM "VM "x" is not running" is not running`).
 */
import { AppError } from "./errors.ts";
import type { TartPort } from "./ports.ts";
import { EXIT_VM_STATE, TartCommandError } from "./tart-command-error.ts";
import type { TaskContext } from "./task-manager.ts";
import type { KnownRun } from "./vm-runs.ts";

/** Saving a VM's memory to disk takes a while for a big guest; tart sets no limit of its own. */
export const SUSPEND_WAIT_MS = 180_000;
const POLL_MS = 250;

export async function suspendVm(ctx: TaskContext, deps: { tart: TartPort; name: string; known: KnownRun; waitMs?: number }): Promise<Record<string, unknown>> {
  const { tart, name, known } = deps;
  try {
    await tart.suspend(name, ctx.observer());
  } catch (error) {
    if (error instanceof TartCommandError && error.exitCode === EXIT_VM_STATE) {
      throw new AppError("tart_failed", `${name} is not running (any more), so there was nothing to suspend`);
    }
    throw error;
  }
  let exitCode: number | null | undefined;
  void known.run.exited.then((code) => (exitCode = code));
  const said: string[] = [];
  const drain = async () => {
    const { stdout, stderr } = await known.run.readNewOutput();
    for (const line of stdout.split("\n").filter((l) => l.trim())) {
      ctx.log(line);
      said.push(line);
    }
    for (const line of stderr.split("\n").filter((l) => l.trim())) {
      ctx.log(line, "stderr");
      said.push(line);
    }
  };
  const deadline = Date.now() + (deps.waitMs ?? SUSPEND_WAIT_MS);
  while (exitCode === undefined && Date.now() < deadline) {
    await drain();
    await Promise.race([known.run.exited, Bun.sleep(POLL_MS)]);
  }
  await Bun.sleep(50); // the exit may race the last write to the log files
  await drain();
  if (exitCode === undefined) {
    throw new AppError("timeout", `${name} was asked to suspend but was still saving its state after ${Math.round((deps.waitMs ?? SUSPEND_WAIT_MS) / 1000)} s`);
  }
  if (exitCode !== 0) {
    const failure = said.find((line) => /Failed to suspend the VM/i.test(line));
    throw new AppError(
      "tart_failed",
      `${name} could not be suspended and has shut down: only a VM started suspendable can be suspended` +
        `${failure ? ` (tart: ${failure.trim()})` : ` (tart run exited with ${exitCode ?? "a signal"})`}`,
    );
  }
  return { message: `VM ${name} suspended`, state: "suspended" };
}
