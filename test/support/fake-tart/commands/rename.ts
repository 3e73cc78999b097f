// `tart rename NAME NEW` (spec §4.11): its existence checks throw ValidationError from run(),
// so they are reported with the root usage. It does not check whether NAME is running.
import { renameSync } from "node:fs";
import type { Ctx } from "../context.ts";
import { UsageError } from "../errors.ts";
import { isVMDir, vmPath } from "../storage.ts";

export function validate(ctx: Ctx): void {
  if (ctx.args.args[1]!.includes("/")) throw new UsageError("<new-name> should be a local name", "rename");
}

export function run(ctx: Ctx): void {
  const [name, target] = ctx.args.args as [string, string];
  if (name.includes("/") || !isVMDir(vmPath(ctx.home, name)))
    throw new UsageError(`failed to rename a non-existent local VM: ${name}`, "");
  if (isVMDir(vmPath(ctx.home, target)))
    throw new UsageError(`failed to rename VM ${name}, target VM ${target} already exists, delete it first!`, "");
  renameSync(vmPath(ctx.home, name), vmPath(ctx.home, target));
}
