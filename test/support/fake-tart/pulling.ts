// Pulling an image into the OCI cache, shared by `pull` and `clone`'s auto-pull (spec §4.7,
// §4.8). There is no registry: every well-formed reference exists, except those the
// `pull_missing` knob lists (simple `*` globs), which fail like a registry 404. The digest
// is derived from the reference (or set by `pull_digests`), so pulls are reproducible.
// Pulls from one registry host serialise, with tart's "waiting for lock..." line. Ctrl+C (SIGINT)
// removes the temporary directory and fails the pull. The `pull_drop` knob cuts the connection
// mid-download, as a dropped Wi-Fi does: progress up to `at` %, then tart's URLError text.
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import type { Knobs } from "./knobs.ts";
import { join } from "node:path";
import type { Ctx } from "./context.ts";
import { PlainError } from "./errors.ts";
import { num } from "./knobs.ts";
import { cachedDir, linkTag, ociRoot, repoDir, tagDigest } from "./oci-cache.ts";
import { remoteNameText, type RemoteName } from "./oci-ref.ts";
import { onCancel } from "./cancel.ts";
import { println } from "./output.ts";
import { showProgress } from "./progress.ts";
import { processStart } from "./run-state.ts";
import { newConfig, writeConfig } from "./storage.ts";

const OCI_DISK_BYTES = 50e9;

const globMatch = (pattern: string, text: string) =>
  new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(text);

export function digestFor(ctx: Ctx, r: RemoteName): string {
  if (r.digest) return r.digest;
  const text = remoteNameText(r);
  const forced = ctx.knobs.pull_digests?.[text];
  if (forced) return forced.startsWith("sha256:") ? forced : `sha256:${forced}`;
  return `sha256:${new Bun.CryptoHasher("sha256").update(text).digest("hex")}`;
}

/** A MAC derived from the digest, so every clone of one image starts with the same MAC. */
function macFor(digest: string): string {
  const hex = digest.slice(7, 19);
  const b = hex.match(/../g)!.map((h) => parseInt(h, 16));
  b[0] = (b[0]! & 0xfc) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

/** Writes a VM directory the way the fake keeps every VM: sparse disk, small nvram. */
export function writeVMFiles(dir: string, os: "darwin" | "linux", mac: string, diskBytes: number): void {
  mkdirSync(dir, { recursive: true });
  writeConfig(dir, os === "darwin" ? newConfig("darwin", 4, 8192, mac) : newConfig("linux", 4, 4096, mac));
  writeFileSync(join(dir, "nvram.bin"), Buffer.alloc(4096, 1));
  writeFileSync(join(dir, "disk.img"), "fake-tart disk\n");
  // A hole of the full size: `Disk` (logical) is real, `Size` (allocated) stays tiny.
  truncateSync(join(dir, "disk.img"), diskBytes);
}

async function hostLock(home: string, r: RemoteName): Promise<() => void> {
  const dir = join(ociRoot(home), r.host.replaceAll(":", "%3A"));
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, ".fake-pull.lock");
  const tmp = `${lock}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, start: processStart(process.pid) }));
  let announced = false;
  // Waiting asynchronously keeps Ctrl+C working: tart's handler cancels a pull that waits too.
  const cancelled = onCancel(() => rmSync(tmp, { force: true }));
  try {
    for (;;) {
      try {
        linkSync(tmp, lock);
        break;
      } catch {
        if (!holderAlive(lock)) {
          rmSync(lock, { force: true });
          continue;
        }
        if (!announced) println("waiting for lock...");
        announced = true;
        await Bun.sleep(50);
      }
    }
  } finally {
    cancelled();
    rmSync(tmp, { force: true });
  }
  return () => rmSync(lock, { force: true });
}

function holderAlive(lock: string): boolean {
  try {
    const { pid, start } = JSON.parse(readFileSync(lock, "utf8")) as { pid: number; start: string | null };
    process.kill(pid, 0);
    return start === null || processStart(pid) === start;
  } catch {
    return false;
  }
}

/** Everything `pull` prints after its `pulling <ref>...` line; clone prints the same. */
export async function pullImage(ctx: Ctx, r: RemoteName, typed: string): Promise<void> {
  const text = remoteNameText(r);
  println("pulling manifest...");
  const missing = ctx.knobs.pull_missing ?? [];
  if (missing.some((p) => globMatch(p, text) || globMatch(p, typed))) {
    const body = '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}';
    throw new PlainError(
      `UnexpectedHTTPStatusCode(when: "pulling manifest", code: 404, details: ${JSON.stringify(body)})`,
    );
  }
  const digest = digestFor(ctx, r);
  const repo = repoDir(ctx.home, r);
  const digestName = `${r.host}/${r.namespace}@${digest}`;
  if (cachedDir(ctx.home, { ...r, digest })) {
    if (r.digest || tagDigest(ctx.home, r) === digest) println(`${digestName} image is already cached and linked!`);
    else {
      println(`${digestName} image is already cached! creating a symlink...`);
      linkTag(ctx.home, r, digest);
    }
    return;
  }

  const release = await hostLock(ctx.home, r);
  // Another pull may have fetched this digest while we waited for the host lock.
  if (cachedDir(ctx.home, { ...r, digest })) {
    release();
    println(`${digestName} image is already cached! creating a symlink...`);
    if (!r.digest) linkTag(ctx.home, r, digest);
    return;
  }
  const tmp = join(ctx.home, "tmp", crypto.randomUUID());
  const cleanup = () => {
    rmSync(tmp, { recursive: true, force: true });
    release();
  };
  const cancelled = onCancel(cleanup);
  try {
    const gb = num(ctx.knobs.pull_disk_gb, 24.3);
    println(`pulling disk (${gb.toFixed(1)} GB compressed)...`);
    mkdirSync(tmp, { recursive: true }); // the download lands here first
    const drop = dropThisPull(ctx, text);
    await showProgress({
      steps: num(ctx.knobs.pull_steps, 4),
      intervalMs: num(ctx.knobs.pull_interval_ms, 1000),
      flood: num(ctx.knobs.flood_lines, 0),
      floodLineBytes: num(ctx.knobs.flood_line_bytes, 0),
      stopAt: drop?.at,
    });
    if (drop) throw new PlainError(drop.error);
    println("pulling NVRAM...");
    const os = /ubuntu|debian|fedora|linux|alpine/i.test(r.namespace) ? "linux" : "darwin";
    writeVMFiles(tmp, os, macFor(digest), OCI_DISK_BYTES);
    if (r.digest) writeFileSync(join(tmp, ".explicitly-pulled"), "");
    mkdirSync(repo, { recursive: true });
    rmSync(join(repo, digest), { recursive: true, force: true });
    renameSync(tmp, join(repo, digest));
    if (!r.digest) linkTag(ctx.home, r, digest);
  } finally {
    cancelled();
    cleanup();
  }
}

const DROP_ERROR = "The network connection was lost.";

/**
 * Whether the `pull_drop` knob cuts this pull off, and where. `times` counts per reference in
 * $TART_HOME/fake-pull-drops.json, so "the first N pulls of it drop, then the network is back".
 */
function dropThisPull(ctx: Ctx, ref: string): { at: number; error: string } | null {
  const knob: Knobs["pull_drop"] = ctx.knobs.pull_drop;
  if (!knob) return null;
  const file = join(ctx.home, "fake-pull-drops.json");
  let counts: Record<string, number> = {};
  try {
    counts = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // No drops yet.
  }
  const done = counts[ref] ?? 0;
  if (knob.times !== undefined && done >= knob.times) return null;
  counts[ref] = done + 1;
  writeFileSync(file, JSON.stringify(counts));
  return { at: num(knob.at, 0), error: knob.error ?? DROP_ERROR };
}
