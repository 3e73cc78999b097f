// `tart suspend NAME` (spec §4.12): SIGUSR1 to the `tart run` process and return at once.
// Not running gives tart's double-wrapped text. A seeded "running" VM has no process of
// ours, so the fake suspends it on the spot: snapshot file written, mark dropped.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Ctx } from "../context.ts";
import { TartRuntimeError } from "../errors.ts";
import { clearMark, runningMark } from "../run-state.ts";
import { openLocal } from "../storage.ts";

export function run(ctx: Ctx): void {
  const name = ctx.args.args[0]!;
  const dir = openLocal(ctx.home, name);
  const mark = runningMark(dir);
  if (!mark) throw new TartRuntimeError(`VM "VM "${name}" is not running" is not running`, 2);
  if (mark.by === "seed") {
    writeFileSync(join(dir, "state.vzvmsave"), "fake snapshot\n");
    return clearMark(dir);
  }
  process.kill(mark.pid, "SIGUSR1");
}
