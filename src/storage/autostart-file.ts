/**
 * `<data-dir>/autostart.json`, the VMs the server starts when it starts:
 * `{"version": 1, "vms": ["dev", …]}` (domain/autostart.ts). Not a secret; 0600 like every file there.
 */
import type { AutostartStore } from "../domain/autostart.ts";
import { JsonFile } from "./json-file.ts";

const VERSION = 1;

export class AutostartFile implements AutostartStore {
  private readonly file: JsonFile;

  constructor(path: string, warn?: (message: string) => void) {
    this.file = new JsonFile(path, warn);
  }

  load(): string[] {
    const stored = this.file.read() as { vms?: unknown } | null;
    const list = Array.isArray(stored?.vms) ? stored.vms : [];
    return list.filter((entry): entry is string => typeof entry === "string");
  }

  save(vms: string[]): void {
    this.file.write({ version: VERSION, vms });
  }
}
