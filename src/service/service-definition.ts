/**
 * What the login service runs: this executable (or, run from source, bun with src/main.ts) as the
 * server, with `--no-open` (no browser at every login), the user's data dir and port, its output
 * appended to `<data-dir>/service.log`. Both service managers (launch-agent.ts, systemd-unit.ts)
 * render this one definition, so macOS and Linux start the same server.
 */
import { layoutOf } from "../storage/data-dir.ts";

export const SERVICE_LABEL = "dev.taartenfabriek.server";

export interface ServiceDefinition {
  label: string;
  /** argv of the server: executable first. */
  program: string[];
  logFile: string;
  dataDir: string;
  /** PATH for the server: where Homebrew puts tart comes first (launchd's own PATH lacks it). */
  path: string;
}

/** The argv that runs this same program: the compiled binary alone, or bun and the entry file. */
export function currentProgram(): string[] {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.includes("~BUN");
  return compiled ? [process.execPath] : [process.execPath, Bun.main];
}

export function serviceDefinition(options: { dataDir: string; port: number; program?: string[] }): ServiceDefinition {
  const program = options.program ?? currentProgram();
  return {
    label: SERVICE_LABEL,
    program: [...program, "--no-open", "--port", String(options.port), "--data-dir", options.dataDir],
    logFile: layoutOf(options.dataDir).serviceLog,
    dataDir: options.dataDir,
    path: "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
  };
}
