/**
 * `vm-run-options.json` in the data dir: the run options kept per VM (domain/run-options-kept.ts),
 * `{"version": 1, "vms": {"name": {shared_folders, network, nested, no_audio, root_disk_opts}}}`.
 * Written whole and atomically (json-file.ts); a damaged file is reported once and read as empty.
 * Entries are checked again before every start, so one edited on disk cannot slip past the rules.
 */
import type { RunOptionsStore } from "../domain/run-options-kept.ts";
import type { VmRunOptions } from "../domain/run-options.ts";
import { JsonFile } from "./json-file.ts";

const VERSION = 1;

export class RunOptionsFile implements RunOptionsStore {
  private readonly file: JsonFile;

  constructor(path: string, warn?: (message: string) => void) {
    this.file = new JsonFile(path, warn);
  }

  load(): Record<string, VmRunOptions> {
    const stored = this.file.read() as { version?: number; vms?: unknown } | null;
    const vms = stored?.version === VERSION ? stored.vms : null;
    if (!vms || typeof vms !== "object" || Array.isArray(vms)) return {};
    return Object.fromEntries(Object.entries(vms).filter((entry): entry is [string, VmRunOptions] => typeof entry[1] === "object" && entry[1] !== null));
  }

  save(vms: Record<string, VmRunOptions>): void {
    this.file.write({ version: VERSION, vms });
  }
}
