/**
 * Where each VM's console is: for a VM this server started with `{"console": true}`, tart's VNC
 * server (port and password, read from tart's line). Kept in one 0600 state file (SecretFile:
 * never through a link), so a restarted server still reaches the consoles of VMs that kept
 * running. An entry lives as long as its `tart run`: it is dropped when that process exits (or,
 * after a restart, is found gone), and listeners are told so that open consoles close.
 */
import type { SecretFile } from "../storage/secret-file.ts";
import type { VncEndpoint } from "./vnc-line.ts";
import { processAlive } from "../adapters/host/process-alive.ts";

export interface ConsoleEntry extends VncEndpoint {
  /** The `tart run` holding the VM (and, inside it, the VNC server). */
  pid: number;
}

export class ConsoleEndpoints {
  private readonly entries = new Map<string, ConsoleEntry>();
  private readonly goneListeners = new Set<(name: string) => void>();

  constructor(private readonly file: SecretFile, private readonly warn: (message: string) => void) {
    this.load();
  }

  /** Remembers a console until `exited` settles (the run's exit). */
  add(name: string, entry: ConsoleEntry, exited: Promise<unknown>): void {
    this.entries.set(name, entry);
    this.save();
    void exited.then(() => {
      if (this.entries.get(name) === entry) this.drop(name);
    });
  }

  /** The VM's console, if its run still lives. */
  get(name: string): ConsoleEntry | null {
    const entry = this.entries.get(name);
    if (!entry) return null;
    if (!processAlive(entry.pid)) {
      this.drop(name);
      return null;
    }
    return entry;
  }

  /** A run ended: its console goes, and every viewer of it is closed. */
  drop(name: string): void {
    if (!this.entries.delete(name)) return;
    this.save();
    for (const listener of this.goneListeners) listener(name);
  }

  onGone(listener: (name: string) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  private load(): void {
    let text: string | null;
    try {
      text = this.file.read();
    } catch (error) {
      this.warn(`console state not read: ${(error as Error).message}`);
      return;
    }
    if (!text) return;
    try {
      const saved = JSON.parse(text) as Record<string, ConsoleEntry>;
      for (const [name, entry] of Object.entries(saved)) {
        if (Number.isInteger(entry.port) && typeof entry.password === "string" && Number.isInteger(entry.pid) && processAlive(entry.pid)) {
          this.entries.set(name, { port: entry.port, password: entry.password, pid: entry.pid });
        }
      }
    } catch {
      this.warn(`console state ${this.file.path} is not JSON; ignored`);
    }
  }

  private save(): void {
    try {
      if (this.entries.size === 0) this.file.clear();
      else this.file.write(JSON.stringify(Object.fromEntries(this.entries)));
    } catch (error) {
      this.warn(`console state not saved: ${(error as Error).message}`);
    }
  }
}
