// `tart clone SRC DST` (spec §4.8): an uncached OCI source is pulled first (same output as
// pull minus its first line; a cached tag is used as is), then the VM files are copied
// into tmp/ and moved over vms/DST, replacing an existing DST without a word. The MAC is
// re-rolled when another local VM already uses the source's MAC. Ctrl+C cancels it: during the
// pull as a pull is cancelled, during the copy by removing the tmp copy (Clone.swift's cancellation
// handler); a copy already moved into place stays, as it does with real tart.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, truncateSync, writeSync } from "node:fs";
import { join } from "node:path";
import { value } from "../args.ts";
import type { Ctx } from "../context.ts";
import { UsageError, vmDoesNotExist } from "../errors.ts";
import { normalizeMAC } from "../leases.ts";
import { cachedDir } from "../oci-cache.ts";
import { tryParseRemoteName } from "../oci-ref.ts";
import { onCancel } from "../cancel.ts";
import { pullImage } from "../pulling.ts";
import { isSuspended, openLocal, randomMAC, readConfig, touchAccessed, vmPath, vmsDir, writeConfig } from "../storage.ts";

export function validate(ctx: Ctx): void {
  if (ctx.args.args[1]!.includes("/")) throw new UsageError("<new-name> should be a local name", "clone");
  if (value(ctx.args, "concurrency") === "0")
    throw new UsageError("network concurrency cannot be less than 1", "clone");
}

/** APFS clones are free; here a disk is a hole plus the few bytes the fake ever writes. */
export function copySparse(src: string, dst: string): void {
  const size = statSync(src).size;
  const buf = Buffer.alloc(Math.min(size, 1 << 20));
  const from = openSync(src, "r");
  const to = openSync(dst, "w");
  try {
    const n = readSync(from, buf, 0, buf.length, 0);
    writeSync(to, buf, 0, n, 0);
  } finally {
    closeSync(from);
    closeSync(to);
  }
  truncateSync(dst, size);
}

function macInUse(home: string, mac: string): boolean {
  const want = normalizeMAC(mac);
  let names: string[] = [];
  try {
    names = readdirSync(vmsDir(home));
  } catch {
    return false;
  }
  return names.some((n) => {
    try {
      return normalizeMAC(readConfig(join(vmsDir(home), n)).macAddress) === want;
    } catch {
      return false;
    }
  });
}

export async function run(ctx: Ctx): Promise<void> {
  const [src, dst] = ctx.args.args as [string, string];
  const remote = tryParseRemoteName(src);
  let srcDir: string;
  if (remote) {
    if (!cachedDir(ctx.home, remote)) await pullImage(ctx, remote, src);
    const dir = cachedDir(ctx.home, remote);
    if (!dir) throw vmDoesNotExist(src);
    touchAccessed(dir);
    srcDir = dir;
  } else srcDir = openLocal(ctx.home, src);

  const config = readConfig(srcDir);
  if (!isSuspended(srcDir) && macInUse(ctx.home, config.macAddress)) config.macAddress = randomMAC();

  const tmp = join(ctx.home, "tmp", crypto.randomUUID());
  mkdirSync(tmp, { recursive: true });
  const cancelled = onCancel(() => rmSync(tmp, { recursive: true, force: true }));
  try {
    writeConfig(tmp, config);
    copyFileSync(join(srcDir, "nvram.bin"), join(tmp, "nvram.bin"));
    copySparse(join(srcDir, "disk.img"), join(tmp, "disk.img"));
    if (existsSync(join(srcDir, "state.vzvmsave")))
      copyFileSync(join(srcDir, "state.vzvmsave"), join(tmp, "state.vzvmsave"));
    mkdirSync(vmsDir(ctx.home), { recursive: true });
    rmSync(vmPath(ctx.home, dst), { recursive: true, force: true });
    renameSync(tmp, vmPath(ctx.home, dst));
  } finally {
    cancelled();
    rmSync(tmp, { recursive: true, force: true });
  }
}
