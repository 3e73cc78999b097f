/**
 * Finds the tart executable: an explicit path (--tart / TARTVM_TART_PATH) wins; otherwise PATH,
 * then Homebrew's usual places (a GUI-launched app may not have Homebrew on its PATH).
 * When none is found the answer is remembered for a few seconds only, so installing Tart while the
 * server runs is picked up without a restart.
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

const WELL_KNOWN = ["/opt/homebrew/bin/tart", "/usr/local/bin/tart"];
const RECHECK_MS = 5000;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` in PATH's folders, then in `fallbacks`. */
export function findOnPath(name: string, pathEnv: string | undefined, fallbacks: string[] = []): string | null {
  const dirs = (pathEnv ?? "").split(delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => join(dir, name)), ...fallbacks]) {
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function findTart(explicit: string | null, pathEnv: string | undefined): string | null {
  if (explicit) return isExecutableFile(explicit) ? explicit : null;
  return findOnPath("tart", pathEnv, WELL_KNOWN);
}

export class TartLocator {
  private found: string | null = null;
  private checkedAt = -Infinity;

  constructor(
    private readonly explicit: string | null,
    private readonly pathEnv: string | undefined,
  ) {}

  /** Where tart was looked for, for messages. */
  describe(): string {
    return this.explicit ? this.explicit : "PATH, /opt/homebrew/bin and /usr/local/bin";
  }

  current(): string | null {
    const now = performance.now();
    if (this.found === null && now - this.checkedAt >= RECHECK_MS) {
      this.found = findTart(this.explicit, this.pathEnv);
      this.checkedAt = now;
    }
    return this.found;
  }

  /** Forget a path that stopped working (deleted while the server runs). */
  invalidate(): void {
    this.found = null;
    this.checkedAt = -Infinity;
  }
}
