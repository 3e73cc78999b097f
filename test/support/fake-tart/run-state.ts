// "Is this VM running, and by which process?" Real tart answers with an fcntl lock on
// config.json held by the `tart run` process (spec §2). The fake keeps a small pid file in
// the VM directory instead and checks that the process is alive. It also stores the
// process start time from /proc, so a pid reused after a SIGKILL does not look like a VM.
// `by: "seed"` marks VMs the seeder declared running with a borrowed pid (e.g. the test
// process): commands never signal those, they just drop the mark.
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const RUN_FILE = "fake-run.json";

export interface RunMark {
  pid: number;
  start: string | null;
  by: "run" | "seed";
}

export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime) counted after the ")" that closes the command name.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live run mark of a VM directory, or null when it is not running. */
export function runningMark(dir: string): RunMark | null {
  let mark: RunMark;
  try {
    mark = JSON.parse(readFileSync(join(dir, RUN_FILE), "utf8")) as RunMark;
  } catch {
    return null;
  }
  if (!alive(mark.pid)) return null;
  if (mark.start !== null) {
    const now = processStart(mark.pid);
    if (now !== null && now !== mark.start) return null;
  }
  return mark;
}

export function writeMark(dir: string, pid: number, by: RunMark["by"]): void {
  const mark: RunMark = { pid, start: processStart(pid), by };
  writeFileSync(join(dir, RUN_FILE), JSON.stringify(mark));
}

export function clearMark(dir: string, pid?: number): void {
  try {
    if (pid !== undefined) {
      const mark = JSON.parse(readFileSync(join(dir, RUN_FILE), "utf8")) as RunMark;
      if (mark.pid !== pid) return;
    }
    rmSync(join(dir, RUN_FILE), { force: true });
  } catch {
    // Already gone (a rename or delete raced us): nothing to release.
  }
}

/** trylock(): take the mark only if no live process holds it (a stale mark is replaced). */
export function tryAcquire(dir: string, pid: number): boolean {
  const mark = JSON.stringify({ pid, start: processStart(pid), by: "run" } satisfies RunMark);
  for (let attempt = 0; attempt < 3; attempt++) {
    // link() is atomic and fails if the target exists, so a reader never sees half a mark.
    const tmp = join(dir, `.${RUN_FILE}.${pid}`);
    writeFileSync(tmp, mark);
    try {
      linkSync(tmp, join(dir, RUN_FILE));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (runningMark(dir)) return false;
      rmSync(join(dir, RUN_FILE), { force: true });
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  return false;
}
