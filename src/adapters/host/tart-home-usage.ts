/**
 * What lies in tart's home, read from the file system the way tart's own prune reads it
 * (Prunable.swift): the OCI cache's images are its digest directories under `cache/OCIs` (tags
 * are symlinks to them and take no space of their own), the IPSW cache is the `*.ipsw` files in
 * `cache/IPSWs`, and local VMs are the directories under `vms/`. Each entry is sized like tart
 * sizes a prunable: the allocated bytes of config.json + disk.img + nvram.bin (a file's own for
 * an IPSW), so a sparse disk counts what it uses; its access date is the directory's or file's
 * atime, which tart updates whenever it uses a VM.
 *
 * Measured rather than summed from `tart list`: the list rounds every entry down to whole GB (an
 * image under 1 GB counts 0), does not list IPSWs at all, and would cost a tart call.
 */
import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PrunableEntry, PruneEntries, TartHomeUsage } from "../../domain/ports.ts";
import { volumeBytesAt } from "./free-space.ts";

const VM_FILES = ["config.json", "disk.img", "nvram.bin"];

export class TartHomeFiles implements TartHomeUsage {
  constructor(readonly home: string) {}

  entries(entries: PruneEntries): PrunableEntry[] {
    return entries === "caches" ? [...this.ociImages(), ...this.ipswFiles()] : this.localVms();
  }

  volume() {
    return volumeBytesAt(this.home);
  }

  private ociImages(): PrunableEntry[] {
    const root = join(this.home, "cache", "OCIs");
    const found: PrunableEntry[] = [];
    const walk = (dir: string, prefix: string) => {
      for (const item of safeList(dir)) {
        if (item.isSymbolicLink() || !item.isDirectory()) continue;
        const path = join(dir, item.name);
        const name = prefix ? `${prefix}/${item.name}` : item.name;
        if (item.name.startsWith("sha256:")) {
          const entry = vmEntry(path, `${prefix}@${item.name}`, "oci");
          if (entry) found.push(entry);
        } else walk(path, name);
      }
    };
    // Host folders encode a port's ':' as %3A.
    for (const host of safeList(root)) if (host.isDirectory()) walk(join(root, host.name), decodeURIComponent(host.name));
    return found;
  }

  private ipswFiles(): PrunableEntry[] {
    const dir = join(this.home, "cache", "IPSWs");
    const found: PrunableEntry[] = [];
    for (const item of safeList(dir)) {
      if (!item.isFile() || !item.name.endsWith(".ipsw")) continue;
      try {
        const stat = statSync(join(dir, item.name));
        found.push({ name: item.name, kind: "ipsw", bytes: stat.blocks * 512, accessed: Math.floor(stat.atimeMs / 1000) });
      } catch {
        // Removed while we looked.
      }
    }
    return found;
  }

  private localVms(): PrunableEntry[] {
    const dir = join(this.home, "vms");
    return safeList(dir)
      .filter((item) => item.isDirectory())
      .map((item) => vmEntry(join(dir, item.name), item.name, "vm"))
      .filter((entry): entry is PrunableEntry => entry !== null);
  }
}

/** A VM directory as tart counts it; null when it is not a whole VM (tart skips those too). */
function vmEntry(dir: string, name: string, kind: "oci" | "vm"): PrunableEntry | null {
  try {
    if (!VM_FILES.every((file) => existsSync(join(dir, file)))) return null;
    const bytes = VM_FILES.reduce((sum, file) => sum + lstatSync(join(dir, file)).blocks * 512, 0);
    return { name, kind, bytes, accessed: Math.floor(statSync(dir).atimeMs / 1000) };
  } catch {
    return null;
  }
}

function safeList(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
