/**
 * The `tart run` processes this server started and still watches, by VM: what a suspend and a
 * force stop need to know. tart itself cannot say whether a running VM was started with
 * `--suspendable`, and a `tart suspend` of one that was not makes its VM shut down instead
 * ("Failed to suspend the VM"), so the server remembers it here; a force stop kills the run
 * when `tart stop` could not. Kept in memory only: after a restart the VMs still run (they are
 * detached), but this server no longer knows how they were started, and says so.
 */
import { vmKey } from "./names.ts";
import type { DetachedRun } from "./ports.ts";

export interface KnownRun {
  name: string;
  run: DetachedRun;
  /** Started with `--suspendable`, or resumed from a snapshot (tart can suspend those again). */
  suspendable: boolean;
}

export class VmRuns {
  /**
   * Per VM, the runs alive, oldest first: a second `tart run` of a running VM (which tart refuses
   * with "already running" and exits) must not make the server forget the one that holds the VM.
   */
  private readonly runs = new Map<string, KnownRun[]>();
  private readonly listeners = new Set<() => void>();

  /** Remembers a run until it exits. */
  add(name: string, run: DetachedRun, suspendable: boolean): void {
    const key = vmKey(name);
    const known: KnownRun = { name, run, suspendable };
    this.runs.set(key, [...(this.runs.get(key) ?? []), known]);
    this.notify();
    void run.exited.then(() => {
      const rest = (this.runs.get(key) ?? []).filter((entry) => entry !== known);
      if (rest.length) this.runs.set(key, rest);
      else this.runs.delete(key);
      this.notify();
    });
  }

  /** The VM's run is now known to be suspendable (tart resumed it from a snapshot). */
  markSuspendable(name: string, run?: DetachedRun): void {
    const known = (this.runs.get(vmKey(name)) ?? []).find((entry) => run === undefined || entry.run === run);
    if (!known || known.suspendable) return;
    known.suspendable = true;
    this.notify();
  }

  /** The VM's run this server started, the one that holds it (the first still alive). */
  get(name: string): KnownRun | null {
    return this.runs.get(vmKey(name))?.[0] ?? null;
  }

  /** true / false for a VM this server runs; null when it did not start the VM's `tart run`. */
  suspendableOf(name: string): boolean | null {
    return this.get(name)?.suspendable ?? null;
  }

  /** Told whenever a run is added, changes or ends (the VM list shows `suspendable`). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
