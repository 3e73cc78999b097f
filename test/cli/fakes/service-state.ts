/**
 * What the fake service managers share: where they keep state (under $HOME, as the real ones
 * keep theirs per user), the argv log a test reads, and starting the service's program the way
 * launchd and systemd do — detached, output appended to the log file, pid remembered — so a test
 * can talk to the server a `service install` started.
 */
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const stateDir = () => {
  const dir = join(process.env.HOME!, ".fake-service-manager");
  mkdirSync(dir, { recursive: true });
  return dir;
};

export function recordArgv(program: string): void {
  appendFileSync(join(stateDir(), "argv.log"), JSON.stringify([program, ...process.argv.slice(2)]) + "\n");
}

const pidFile = (name: string) => join(stateDir(), `${name}.pid`);

export function runningPid(name: string): number | null {
  if (!existsSync(pidFile(name))) return null;
  const pid = Number(readFileSync(pidFile(name), "utf8"));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export function launch(name: string, argv: string[], env: Record<string, string>, logFile: string | null): number {
  const out = logFile ? openSync(logFile, "a") : "ignore";
  const child = Bun.spawn(argv, { env: { HOME: process.env.HOME!, ...env }, stdin: "ignore", stdout: out, stderr: out, detached: true });
  child.unref();
  writeFileSync(pidFile(name), String(child.pid));
  return child.pid;
}

export async function terminate(name: string): Promise<void> {
  const pid = runningPid(name);
  rmSync(pidFile(name), { force: true });
  if (pid === null) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await Bun.sleep(25);
  }
  process.kill(pid, "SIGKILL");
}
