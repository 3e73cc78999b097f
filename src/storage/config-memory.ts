/**
 * The VM configs a server knew, kept in the data dir (`vm-configs.json`) for the next start, each
 * with the stamp of the VM's `config.json` in tart's home (size and modification time, from a
 * stat: no tart process, and no access date rewritten). See domain/config-cache.ts for how they
 * are used. A damaged file is read as empty.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { ConfigMemory } from "../domain/config-cache.ts";
import type { TartVmConfig } from "../domain/ports.ts";
import { JsonFile } from "./json-file.ts";

const VERSION = 1;

type Entries = Record<string, { stamp: string; config: TartVmConfig }>;

export class ConfigMemoryFile implements ConfigMemory {
  private readonly file: JsonFile;

  constructor(
    path: string,
    private readonly tartHome: string,
    warn: (message: string) => void,
  ) {
    this.file = new JsonFile(path, warn);
  }

  stamp(name: string): string | null {
    try {
      const stat = statSync(join(this.tartHome, "vms", name, "config.json"));
      return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch {
      return null;
    }
  }

  load(): Entries {
    const stored = this.file.read() as { version?: number; configs?: Entries } | null;
    if (stored?.version !== VERSION || typeof stored.configs !== "object" || stored.configs === null) return {};
    return stored.configs;
  }

  save(entries: Entries): void {
    this.file.write({ version: VERSION, configs: entries });
  }
}
