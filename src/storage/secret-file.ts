/**
 * A secret kept in one 0600 file: the API token and the GitHub token. Reads trim whitespace so a
 * token pasted into the file with an editor still works.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { writeFileAtomic } from "./atomic-write.ts";

export class SecretFile {
  constructor(readonly path: string) {}

  read(): string | null {
    if (!existsSync(this.path)) return null;
    const value = readFileSync(this.path, "utf8").trim();
    return value || null;
  }

  write(value: string): void {
    writeFileAtomic(this.path, value + "\n", 0o600);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}
