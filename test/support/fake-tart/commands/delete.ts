// `tart delete NAME...` (spec §4.6): in order, stopping at the first error (earlier names
// stay deleted). A name that parses as an OCI reference is deleted from the cache; a
// running local VM is refused with exit 1. Silent on success.
import { rmSync } from "node:fs";
import type { Ctx } from "../context.ts";
import { TartRuntimeError, vmDoesNotExist } from "../errors.ts";
import { deleteOCI } from "../oci-cache.ts";
import { tryParseRemoteName } from "../oci-ref.ts";
import { runningMark } from "../run-state.ts";
import { isVMDir, vmPath } from "../storage.ts";

export function run(ctx: Ctx): void {
  for (const name of ctx.args.args) {
    const remote = tryParseRemoteName(name);
    if (remote) {
      if (!deleteOCI(ctx.home, remote)) throw vmDoesNotExist(name);
      continue;
    }
    const dir = vmPath(ctx.home, name);
    if (!isVMDir(dir)) throw vmDoesNotExist(name);
    if (runningMark(dir)) throw new TartRuntimeError(`VM "${name}" is running`, 1);
    rmSync(dir, { recursive: true, force: true });
  }
}
