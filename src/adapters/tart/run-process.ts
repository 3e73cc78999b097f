/**
 * Runs one command to completion: argv only (never a shell), stdin closed, stdout and stderr read
 * concurrently line by line, a hard timeout that kills the process, and output kept in memory only
 * up to a cap (a pull's progress lines go to the observer, not into a growing string).
 */
import { AppError } from "../../domain/errors.ts";
import type { OutputStream } from "../../domain/ports.ts";

export interface ProcessOptions {
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  onLine?: (line: string, stream: OutputStream) => void;
  /** Bytes of each stream kept for the result (the tail beyond it is dropped). */
  keepBytes?: number;
}

export interface ProcessResult {
  argv: string[];
  exitCode: number | null;
  signalCode: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const DEFAULT_KEEP = 8 * 1024 * 1024;

/** The executable could not be started at all (missing, not executable). */
export class SpawnError extends AppError {
  constructor(
    readonly path: string,
    cause: string,
  ) {
    super("tart_unavailable", `cannot run ${path}: ${cause}`);
  }
}

export async function runProcess(argv: string[], options: ProcessOptions): Promise<ProcessResult> {
  let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  try {
    proc = Bun.spawn(argv, {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      env: options.env ?? (process.env as Record<string, string>),
    });
  } catch (error) {
    throw new SpawnError(argv[0]!, (error as Error).message);
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, options.timeoutMs);
  const keep = options.keepBytes ?? DEFAULT_KEEP;
  try {
    const [stdout, stderr] = await Promise.all([
      collect(proc.stdout, "stdout", keep, options.onLine),
      collect(proc.stderr, "stderr", keep, options.onLine),
    ]);
    const exitCode = await proc.exited;
    const signalCode = proc.signalCode === null ? null : String(proc.signalCode);
    return { argv, exitCode: timedOut || signalCode ? null : exitCode, signalCode, stdout, stderr, timedOut };
  } finally {
    clearTimeout(timer);
  }
}

async function collect(
  stream: ReadableStream<Uint8Array>,
  name: OutputStream,
  keep: number,
  onLine?: (line: string, stream: OutputStream) => void,
): Promise<string> {
  const decoder = new TextDecoder();
  let kept = "";
  let partial = "";
  const reader = stream.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    const text = decoder.decode(chunk, { stream: true });
    if (kept.length < keep) kept += text.slice(0, keep - kept.length);
    if (onLine) {
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) onLine(line, name);
    }
  }
  const rest = decoder.decode();
  if (kept.length < keep) kept += rest;
  if (onLine && partial + rest) onLine(partial + rest, name);
  return kept;
}
