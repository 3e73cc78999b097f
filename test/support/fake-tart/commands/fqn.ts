// `tart fqn NAME` (hidden, spec §4.14): a cached tag resolves to host/ns@sha256:…, a
// reference by digest or a local name prints itself.
import type { Ctx } from "../context.ts";
import { printText } from "../context.ts";
import { vmDoesNotExist } from "../errors.ts";
import { cachedDir, tagDigest } from "../oci-cache.ts";
import { remoteNameText, tryParseRemoteName } from "../oci-ref.ts";

export function run(ctx: Ctx): void {
  const name = ctx.args.args[0]!;
  const remote = tryParseRemoteName(name);
  if (!remote) return printText(ctx, name);
  if (!cachedDir(ctx.home, remote)) throw vmDoesNotExist(name);
  const digest = remote.digest ?? tagDigest(ctx.home, remote)!;
  printText(ctx, remoteNameText({ ...remote, digest }));
}
