// `tart stop NAME` (spec §4.5): SIGINT to the process that holds the VM, poll every 100 ms
// until it lets go, SIGKILL after --timeout (default 30 s). A suspended VM is "stopped" by
// deleting its snapshot. VMs the seeder marked running have no process of ours behind
// them (the pid may be the test runner itself), so their mark is simply dropped.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { value } from "../args.ts";
import type { Ctx } from "../context.ts";
import { TartRuntimeError, vmNotRunning } from "../errors.ts";
import { clearMark, runningMark } from "../run-state.ts";
import { isSuspended, openLocal } from "../storage.ts";

export async function run(ctx: Ctx): Promise<void> {
  const name = ctx.args.args[0]!;
  const dir = openLocal(ctx.home, name);
  const mark = runningMark(dir);
  if (!mark) {
    if (isSuspended(dir)) return rmSync(join(dir, "state.vzvmsave"), { force: true });
    throw vmNotRunning(name);
  }
  if (mark.by === "seed") return clearMark(dir);

  try {
    process.kill(mark.pid, "SIGINT");
  } catch {
    // Already exiting: the poll below sees it go, as tart ignores this kill's result too.
  }
  const deadline = Date.now() + Number(value(ctx.args, "timeout") ?? "30") * 1000;
  while (Date.now() < deadline) {
    if (runningMark(dir) === null) return;
    await Bun.sleep(100);
  }
  if (runningMark(dir) === null) return;
  try {
    process.kill(mark.pid, "SIGKILL");
  } catch (e) {
    throw new TartRuntimeError(`failed to forcefully terminate the VM "${name}": ${(e as NodeJS.ErrnoException).code}`);
  }
}
