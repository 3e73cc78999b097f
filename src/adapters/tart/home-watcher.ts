/**
 * Watches tart's home for what tart writes: `vms/<name>/…` when a VM is made, changed, renamed
 * or deleted (tart clones into `tmp/` and moves the result into `vms/`, which shows as a rename
 * there), and `cache/OCIs/…` when an image is pulled or pruned. It reports the VM names whose
 * folders changed, and "images" for the cache; what changed is then asked of tart itself.
 *
 * The whole home is watched (recursively, one watcher), so `vms/` or `cache/OCIs/` made after
 * start — a fresh Mac's first pull — is seen at once. The home itself may not exist yet (tart
 * makes it on first use) or may be replaced; a cheap look every `rearmMs` (a stat, no process)
 * notices either and watches the new folder, reporting everything as changed since nothing is
 * known of the gap.
 *
 * What no event shows: whether a VM runs (an fcntl lock on its config.json). The inventory's slow
 * reconcile covers that, and the `tart run` processes this server started report their exit.
 */
import { statSync, watch, type FSWatcher } from "node:fs";

export interface HomeChanges {
  /** These VMs' folders changed; `configChanged` when their config.json (or the folder) did. */
  vms(names: { name: string; configChanged: boolean }[]): void;
  /** The OCI cache changed (a pull, a prune, a delete of an image). */
  images(): void;
  /** Something changed that the events cannot name (a folder went or came back): look at everything. */
  everything(): void;
}

const OCI_PREFIX = "cache/OCIs";

export class TartHomeWatcher {
  private watcher: FSWatcher | null = null;
  /** Inode of the home being watched, to notice it was replaced. */
  private ino: number | null = null;
  private rearmTimer: Timer | null = null;

  constructor(
    private readonly home: string,
    private readonly changes: HomeChanges,
    private readonly rearmMs = 5_000,
  ) {}

  start(): void {
    this.arm();
    this.rearmTimer = setInterval(() => this.rearm(), this.rearmMs);
    this.rearmTimer.unref?.();
  }

  stop(): void {
    if (this.rearmTimer) clearInterval(this.rearmTimer);
    this.rearmTimer = null;
    this.disarm();
  }

  /** Whether the home is watched now (for tests). */
  get watching(): boolean {
    return this.watcher !== null;
  }

  private rearm(): void {
    const ino = inodeOf(this.home);
    if (ino !== null && ino === this.ino && this.watcher) return; // still the folder we watch
    const hadOne = this.watcher !== null || this.ino !== null;
    this.disarm();
    if (ino === null) {
      this.ino = null;
      if (hadOne) this.changes.everything(); // gone: what was in it is gone too
      return;
    }
    if (this.arm()) this.changes.everything();
  }

  /** Starts watching the home if it exists; true when it did. */
  private arm(): boolean {
    this.ino = inodeOf(this.home);
    if (this.ino === null) return false;
    try {
      const watcher = watch(this.home, { recursive: true, persistent: false }, (event, file) => this.onEvent(event, file));
      watcher.on("error", () => this.disarm()); // the next rearm look watches it again
      this.watcher = watcher;
      return true;
    } catch {
      this.watcher = null;
      return false;
    }
  }

  private disarm(): void {
    try {
      this.watcher?.close();
    } catch {
      // already closed
    }
    this.watcher = null;
  }

  private onEvent(event: string, file: string | Buffer | null | undefined): void {
    const path = file == null ? "" : String(file);
    if (!path) {
      this.changes.everything(); // the home itself, or an event without a name
      return;
    }
    if (path === "vms" || path === "cache" || path === OCI_PREFIX) {
      if (event === "rename") this.changes.everything(); // a whole folder came or went
      return;
    }
    if (path.startsWith(`${OCI_PREFIX}/`)) {
      this.changes.images();
      return;
    }
    if (!path.startsWith("vms/")) return; // tmp/ (clones in the making), IPSWs, tart's own files
    const [name, ...rest] = path.slice(4).split("/");
    if (!name) return;
    // A "change" of the VM's folder itself is its attributes: the access date that every
    // `tart get`, `ip` and `run` writes. Reacting to it would answer our own calls forever;
    // the Accessed column catches up at the reconcile.
    if (rest.length === 0 && event === "change") return;
    this.changes.vms([{ name, configChanged: rest.length === 0 || rest.join("/") === "config.json" }]);
  }
}

function inodeOf(dir: string): number | null {
  try {
    const stat = statSync(dir);
    return stat.isDirectory() ? stat.ino : null;
  } catch {
    return null;
  }
}
