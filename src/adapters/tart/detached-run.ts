/**
 * Starts `tart run` so that the VM outlives this server: a new session (setsid), stdin closed,
 * stdout and stderr appended to two files in the data dir. tart dies of SIGPIPE if its output pipe
 * closes, so it never writes into a pipe this process owns.
 */
import { closeSync, openSync, readSync, fstatSync } from "node:fs";
import { join } from "node:path";
import type { DetachedRun } from "../../domain/ports.ts";
import { SpawnError } from "./run-process.ts";

export function startDetached(argv: string[], logDir: string, logName: string, env: Record<string, string | undefined>): DetachedRun {
  const outPath = join(logDir, `${logName}.out`);
  const errPath = join(logDir, `${logName}.err`);
  const outFd = openSync(outPath, "a", 0o600);
  const errFd = openSync(errPath, "a", 0o600);
  let proc: Bun.Subprocess;
  try {
    proc = Bun.spawn(argv, { stdin: "ignore", stdout: outFd, stderr: errFd, env, detached: true });
  } catch (error) {
    throw new SpawnError(argv[0]!, (error as Error).message);
  } finally {
    // The child has its own copies; ours would only keep the files open.
    closeSync(outFd);
    closeSync(errFd);
  }
  proc.unref();
  const readers = { stdout: new FileTail(outPath), stderr: new FileTail(errPath) };
  return {
    argv,
    pid: proc.pid,
    exited: proc.exited.then((code) => code),
    stdoutPath: outPath,
    async readNewOutput() {
      return { stdout: readers.stdout.read(), stderr: readers.stderr.read() };
    },
    kill() {
      // Bun has not reaped it while exitCode is null, so the pid is still this process.
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    },
  };
}

/** Reads what was appended to a file since the last read. */
class FileTail {
  private offset = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly path: string) {}

  read(): string {
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch {
      return "";
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return "";
      const buffer = Buffer.alloc(Math.min(size - this.offset, 1 << 20));
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      return this.decoder.decode(buffer.subarray(0, read), { stream: true });
    } finally {
      closeSync(fd);
    }
  }
}
