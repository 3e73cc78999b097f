/**
 * The catalogue's files in the data dir: `repositories.json` (the repositories the user added,
 * `{"version": 1, "repositories": [...]}`) and `vm-origins.json` (what each VM this server made
 * came from, `{"version": 1, "origins": {"name": "source"}}`).
 */
import type { RepositoryListStore } from "../domain/added-repositories.ts";
import type { OriginStore } from "../domain/vm-origins.ts";
import { JsonFile } from "./json-file.ts";

const VERSION = 1;

export class RepositoryListFile implements RepositoryListStore {
  private readonly file: JsonFile;

  constructor(path: string, warn?: (message: string) => void) {
    this.file = new JsonFile(path, warn);
  }

  load(): string[] {
    const stored = this.file.read() as { repositories?: unknown } | null;
    const list = Array.isArray(stored?.repositories) ? stored.repositories : [];
    return list.filter((entry): entry is string => typeof entry === "string");
  }

  save(repositories: string[]): void {
    this.file.write({ version: VERSION, repositories });
  }
}

/**
 * Origins are a record kept beside the work, not the work itself: a failed write is reported
 * once and never fails the clone or delete that caused it.
 */
export class VmOriginsFile implements OriginStore {
  private readonly file: JsonFile;
  private failed = false;

  constructor(
    path: string,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.file = new JsonFile(path, warn);
  }

  load(): Record<string, string> {
    const stored = this.file.read() as { origins?: unknown } | null;
    const origins = stored?.origins;
    if (!origins || typeof origins !== "object" || Array.isArray(origins)) return {};
    return Object.fromEntries(Object.entries(origins).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  }

  save(origins: Record<string, string>): void {
    try {
      this.file.write({ version: VERSION, origins });
      this.failed = false;
    } catch (error) {
      if (!this.failed) this.warn(`warning: the VMs' origins could not be saved: ${(error as Error).message}`);
      this.failed = true;
    }
  }
}
