// `tart pull REF` (spec §4.7): a local VM name is "nothing to pull", a bad reference is a
// RuntimeError, otherwise `pulling <canonical ref>...` and the shared pull in pulling.ts.
import { value } from "../args.ts";
import type { Ctx } from "../context.ts";
import { UsageError } from "../errors.ts";
import { parseRemoteName, remoteNameText } from "../oci-ref.ts";
import { println } from "../output.ts";
import { pullImage } from "../pulling.ts";
import { isVMDir, vmPath } from "../storage.ts";

export function validate(ctx: Ctx): void {
  if (value(ctx.args, "concurrency") === "0")
    throw new UsageError("network concurrency cannot be less than 1", "pull");
}

export async function run(ctx: Ctx): Promise<void> {
  const name = ctx.args.args[0]!;
  if (!name.includes("/") && isVMDir(vmPath(ctx.home, name))) {
    println(`"${name}" is a local image, nothing to pull here!`);
    return;
  }
  const remote = parseRemoteName(name);
  println(`pulling ${remoteNameText(remote)}...`);
  await pullImage(ctx, remote, name);
}
