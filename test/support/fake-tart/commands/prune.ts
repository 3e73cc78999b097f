// `tart prune` (Prune.swift, Prunable.swift, URL+Prunable.swift, IPSWCache.swift, VMStorageOCI.swift,
// VMStorageLocal.swift at 2.32.1): removes OCI cache images (digest directories; their tags are
// symlinks that are left dangling, which `list` skips) and *.ipsw files of cache/IPSWs, or local
// VMs that are not running. `--older-than N` removes entries last accessed N days ago or earlier;
// `--space-budget G` keeps the most recently accessed entries while they fit in G × 2^30 bytes and
// removes every other one (a smaller, older entry may still fit after a larger one did not).
// Sizes are allocated bytes (config + disk + nvram for a VM directory), access dates the atime.
// Prints nothing. `--cache-budget` is the hidden, deprecated spelling of `--space-budget`.
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { value } from "../args.ts";
import type { Ctx } from "../context.ts";
import { UsageError } from "../errors.ts";
import { listOCI } from "../oci-cache.ts";
import { eprintln } from "../output.ts";
import { runningMark } from "../run-state.ts";
import { allocatedBytes, isVMDir, vmsDir } from "../storage.ts";

interface Prunable {
  path: string;
  bytes: number;
  accessedMs: number;
  dir: boolean;
}

export function validate(ctx: Ctx): void {
  const cacheBudget = value(ctx.args, "cache-budget");
  if (cacheBudget !== undefined) {
    eprintln("--cache-budget is deprecated, please use --space-budget");
    if (value(ctx.args, "space-budget") !== undefined) throw new UsageError("--cache-budget is deprecated, please use --space-budget", "prune");
  }
  const spaceBudget = value(ctx.args, "space-budget") ?? cacheBudget;
  if (value(ctx.args, "older-than") === undefined && spaceBudget === undefined && !ctx.args.flags.has("gc"))
    throw new UsageError("at least one pruning criteria must be specified", "prune");
}

export function run(ctx: Ctx): void {
  const entries = value(ctx.args, "entries") ?? "caches";
  // Thrown from run(), so reported with the root command's usage (spec §1.1).
  if (entries !== "caches" && entries !== "vms")
    throw new UsageError('unsupported --entries value, please specify either "caches" or "vms"', "");
  const prunables = () => (entries === "caches" ? [...ociImages(ctx.home), ...ipswFiles(ctx.home)] : localVms(ctx.home));

  const olderThan = value(ctx.args, "older-than");
  if (olderThan !== undefined) {
    const cutoff = Date.now() - Number(olderThan) * 86_400_000;
    for (const p of prunables()) if (p.accessedMs <= cutoff) remove(p);
  }
  const budget = value(ctx.args, "space-budget") ?? value(ctx.args, "cache-budget");
  if (budget !== undefined) {
    let left = Number(budget) * 1024 ** 3;
    const newestFirst = prunables().sort((a, b) => b.accessedMs - a.accessedMs);
    const doomed: Prunable[] = [];
    for (const p of newestFirst) {
      if (p.bytes <= left) left -= p.bytes;
      else doomed.push(p);
    }
    doomed.forEach(remove);
  }
}

function remove(p: Prunable): void {
  rmSync(p.path, { recursive: p.dir, force: true });
}

function vmPrunable(path: string): Prunable {
  return { path, bytes: allocatedBytes(path), accessedMs: statSync(path).atimeMs, dir: true };
}

/** VMStorageOCI.prunables(): the digest directories (tags are symlinks and not prunable). */
function ociImages(home: string): Prunable[] {
  return listOCI(home)
    .filter((entry) => entry.name.includes("@sha256:"))
    .map((entry) => vmPrunable(entry.dir));
}

/** IPSWCache: its init creates cache/IPSWs; its prunables are the *.ipsw files there. */
function ipswFiles(home: string): Prunable[] {
  const dir = join(home, "cache", "IPSWs");
  mkdirSync(dir, { recursive: true });
  return readdirSync(dir, { withFileTypes: true })
    .filter((it) => it.isFile() && it.name.endsWith(".ipsw"))
    .map((it) => {
      const st = statSync(join(dir, it.name));
      return { path: join(dir, it.name), bytes: st.blocks * 512, accessedMs: st.atimeMs, dir: false };
    });
}

/** VMStorageLocal.prunables(): every local VM that is not running. */
function localVms(home: string): Prunable[] {
  let names: string[] = [];
  try {
    names = readdirSync(vmsDir(home));
  } catch {
    return [];
  }
  return names
    .map((name) => join(vmsDir(home), name))
    .filter((dir) => isVMDir(dir) && runningMark(dir) === null)
    .map(vmPrunable);
}
