/**
 * Free space on the volume that holds tart's home (`$TART_HOME`, else `~/.tart`): what a pull or
 * a clone of an image writes into. tart creates its home on first use, so the nearest existing
 * parent stands in for it until then. `statfs`'s `bavail` counts what an unprivileged user may
 * still write, which is what tart, running as the user, gets.
 */
import { existsSync, statfsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

export function tartHomeOf(env: Record<string, string | undefined>): string {
  return env.TART_HOME ? resolve(env.TART_HOME) : join(env.HOME || homedir(), ".tart");
}

/** Bytes free for the user on the volume holding `path`, or null when it cannot be told. */
export function freeBytesAt(path: string): number | null {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    const fs = statfsSync(dir);
    return Number(fs.bavail) * Number(fs.bsize);
  } catch {
    return null;
  }
}

/** Free (for the user) and total bytes of the volume holding `path`; nulls when it cannot be told. */
export function volumeBytesAt(path: string): { free_bytes: number | null; total_bytes: number | null } {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    const fs = statfsSync(dir);
    return { free_bytes: Number(fs.bavail) * Number(fs.bsize), total_bytes: Number(fs.blocks) * Number(fs.bsize) };
  } catch {
    return { free_bytes: null, total_bytes: null };
  }
}
