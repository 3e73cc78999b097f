// The OCI cache, $TART_HOME/cache/OCIs/<host, ':' as %3A>/<namespace…>/ (spec §2): every
// digest is a VM directory named sha256:<hex>, every tag a symlink to it. `list` shows both,
// so each pulled tag appears twice. Deleting a tag or digest garbage-collects what is left
// unreferenced, as VMStorageOCI does.
import { existsSync, lstatSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { isVMDir } from "./storage.ts";
import type { RemoteName } from "./oci-ref.ts";

export const ociRoot = (home: string) => join(home, "cache", "OCIs");

export const repoDir = (home: string, r: RemoteName) =>
  join(ociRoot(home), r.host.replaceAll(":", "%3A"), ...r.namespace.split("/"));

/** The VM directory a reference names in the cache, or null when it is not cached. */
export function cachedDir(home: string, r: RemoteName): string | null {
  const dir = join(repoDir(home, r), r.digest ?? r.tag!);
  return isVMDir(dir) ? dir : null;
}

/** The digest a cached tag points at. */
export function tagDigest(home: string, r: RemoteName): string | null {
  try {
    return readlinkSync(join(repoDir(home, r), r.tag!)).split("/").at(-1) ?? null;
  } catch {
    return null;
  }
}

export function linkTag(home: string, r: RemoteName, digest: string): void {
  const link = join(repoDir(home, r), r.tag!);
  rmSync(link, { force: true });
  symlinkSync(digest, link);
}

export interface OCIEntry {
  name: string;
  dir: string;
}

/** Every tag (as host/ns:tag) and digest (as host/ns@sha256:…) in the cache. */
export function listOCI(home: string): OCIEntry[] {
  const entries: OCIEntry[] = [];
  const walk = (dir: string, prefix: string) => {
    let items;
    try {
      items = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const it of items) {
      const path = join(dir, it.name);
      if (it.isSymbolicLink()) {
        if (isVMDir(path)) entries.push({ name: `${prefix}:${it.name}`, dir: path });
      } else if (it.isDirectory()) {
        if (it.name.startsWith("sha256:")) {
          if (isVMDir(path)) entries.push({ name: `${prefix}@${it.name}`, dir: path });
        } else walk(path, `${prefix}/${it.name}`);
      }
    }
  };
  let hosts: string[] = [];
  try {
    hosts = readdirSync(ociRoot(home));
  } catch {
    // No cache yet.
  }
  for (const host of hosts) {
    for (const ns of safeDirs(join(ociRoot(home), host)))
      walk(join(ociRoot(home), host, ns), `${host.replaceAll("%3A", ":")}/${ns}`);
  }
  return entries;
}

function safeDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/** Deletes a tag or digest; false when it was not cached. */
export function deleteOCI(home: string, r: RemoteName): boolean {
  const repo = repoDir(home, r);
  const target = join(repo, r.digest ?? r.tag!);
  let isLink: boolean;
  try {
    isLink = lstatSync(target).isSymbolicLink();
  } catch {
    return false;
  }
  if (isLink) rmSync(target);
  else rmSync(target, { recursive: true, force: true });
  gc(repo);
  return true;
}

/** Drops dangling tags and digests nothing links to (unless explicitly pulled). */
function gc(repo: string): void {
  const items = readdirSync(repo, { withFileTypes: true });
  const linked = new Set<string>();
  for (const it of items.filter((i) => i.isSymbolicLink())) {
    const path = join(repo, it.name);
    if (!existsSync(path)) rmSync(path, { force: true });
    else linked.add(readlinkSync(path).split("/").at(-1)!);
  }
  for (const it of items.filter((i) => i.isDirectory() && i.name.startsWith("sha256:"))) {
    const path = join(repo, it.name);
    if (!linked.has(it.name) && !existsSync(join(path, ".explicitly-pulled")))
      rmSync(path, { recursive: true, force: true });
  }
}

export function accessedMs(dir: string): number {
  return statSync(dir).atimeMs;
}
