// `tart logout HOST` (Logout.swift, KeychainCredentialsProvider.remove): deletes the host's
// credentials; a host with none is no error. Prints nothing.
import type { Ctx } from "../context.ts";
import { removeCredentials } from "../keychain.ts";

export function run(ctx: Ctx): void {
  removeCredentials(ctx.home, ctx.args.args[0]!);
}
