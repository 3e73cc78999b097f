/**
 * A secret kept in one 0600 file: the API token and the GitHub token. Reads trim whitespace so a
 * token pasted into the file with an editor still works.
 *
 * The file must be a regular file owned by this user, and is never followed through a symbolic
 * link (opened with O_NOFOLLOW, then checked on the open descriptor): otherwise anyone who can
 * plant a link in the data dir could make the server use, print or chmod a file of their choice.
 * Anything else is refused with an error naming the file. Writes go to a temp file renamed over
 * the path, which replaces a link itself, never its target; a full disk is a 507 naming the dir.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, rmSync, type Stats } from "node:fs";
import { basename, dirname } from "node:path";
import { AppError } from "../domain/errors.ts";
import { writeFileAtomic } from "./atomic-write.ts";

export class SecretFile {
  constructor(readonly path: string) {}

  read(): string | null {
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return null;
      if (code === "ELOOP") throw unsafe(this.path, "is a symbolic link");
      throw error;
    }
    try {
      refuseUnlessOurs(this.path, fstatSync(fd));
      const value = readFileSync(fd, "utf8").trim();
      return value || null;
    } finally {
      closeSync(fd);
    }
  }

  /** A full file system is an AppError naming the data dir (507), not a stack trace. */
  write(value: string): void {
    try {
      writeFileAtomic(this.path, value + "\n", 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOSPC" || code === "EDQUOT") {
        throw new AppError("insufficient_storage", `No space left in the data dir ${dirname(this.path)}: ${basename(this.path)} was not saved`);
      }
      throw error;
    }
  }

  clear(): void {
    rmSync(this.path, { force: true }); // removes a link itself, not what it points to
  }
}

/** Throws unless `path` is absent or a regular file owned by this user (a link is refused). */
export function checkSecretPath(path: string): void {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (stats.isSymbolicLink()) throw unsafe(path, "is a symbolic link");
  refuseUnlessOurs(path, stats);
}

function refuseUnlessOurs(path: string, stats: Stats): void {
  if (!stats.isFile()) throw unsafe(path, "is not a regular file");
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) throw unsafe(path, `is owned by uid ${stats.uid}, not by this user (uid ${uid})`);
}

function unsafe(path: string, why: string): AppError {
  return new AppError("internal", `${path} ${why}: a secret file must be a regular file owned by you; remove it (and set that token again)`);
}
