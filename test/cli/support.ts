/**
 * Runs the compiled binary as a user's shell would: `dist/taartenfabriek ARGS…` with the test
 * server's data dir in TARTVM_DATA_DIR (the binary finds the server through its server.json),
 * and collects its exit code, stdout and stderr.
 */
import { BINARY } from "../support/server-process.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  dataDir?: string;
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
}

export async function cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const proc = Bun.spawn([BINARY, ...args], {
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PATH: "/usr/bin:/bin",
      HOME: "/nonexistent-home",
      ...(options.dataDir ? { TARTVM_DATA_DIR: options.dataDir } : {}),
      ...options.env,
    },
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}
