/**
 * A small JSON document in the data dir (the added repositories, the VMs' origins): read once,
 * written whole and atomically (atomic-write.ts), 0600 like everything there. Not a secret, so it
 * is not guarded like secret-file.ts; a file that cannot be read or parsed is reported once and
 * read as absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { AppError } from "../domain/errors.ts";
import { writeFileAtomic } from "./atomic-write.ts";

export class JsonFile {
  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** The parsed document, or null when there is none (or it is damaged: then with a warning). */
  read(): unknown {
    if (!existsSync(this.path)) return null;
    try {
      return JSON.parse(readFileSync(this.path, "utf8")) as unknown;
    } catch (error) {
      this.warn(`warning: ${this.path} could not be read and is ignored: ${(error as Error).message}`);
      return null;
    }
  }

  /** A full file system is an AppError naming the data dir (507), not a stack trace. */
  write(value: unknown): void {
    try {
      writeFileAtomic(this.path, JSON.stringify(value, null, 2) + "\n", 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOSPC" || code === "EDQUOT") {
        throw new AppError("insufficient_storage", `No space left in the data dir ${dirname(this.path)}: ${basename(this.path)} was not saved`);
      }
      throw error;
    }
  }
}
