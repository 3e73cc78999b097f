/**
 * tart writes its VNC line straight into the run's stdout file (detached-run.ts: tart must never
 * write into a pipe of ours), so the password lands on disk. Once the line has been read, every
 * occurrence of the password in that file is overwritten in place with `*` of the same length:
 * offsets stay valid for the reader that tails the file and for tart, which appends.
 */
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from "node:fs";

export function scrubSecretFromFile(path: string, secret: string): void {
  if (!secret) return;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch {
    return; // gone or replaced by a link: nothing of ours to scrub
  }
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(size);
    readSync(fd, buffer, 0, size, 0);
    const needle = Buffer.from(secret);
    const mask = Buffer.alloc(needle.length, "*");
    for (let at = buffer.indexOf(needle); at >= 0; at = buffer.indexOf(needle, at + needle.length)) {
      writeSync(fd, mask, 0, mask.length, at);
    }
  } finally {
    closeSync(fd);
  }
}
