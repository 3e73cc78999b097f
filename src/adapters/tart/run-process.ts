/**
 * Runs one command to completion: argv only (never a shell), stdin closed (or given the bytes one
 * command needs, such as a password for `tart login --password-stdin`), stdout and stderr read
 * concurrently line by line, a hard timeout that kills the process, and output kept in memory only
 * up to a cap (a pull's progress lines go to the observer, not into a growing string). An abort
 * signal cancels the command the way Ctrl+C would (SIGINT), and kills it when it has not ended
 * after a grace period.
 */
import { AppError } from "../../domain/errors.ts";
import type { OutputStream } from "../../domain/ports.ts";

export interface ProcessOptions {
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  onLine?: (line: string, stream: OutputStream) => void;
  /** Bytes of each stream kept for the result (the tail beyond it is dropped). */
  keepBytes?: number;
  /** On abort: SIGINT at once, SIGKILL after `killAfterMs`. Already aborted: nothing is started. */
  signal?: AbortSignal;
  killAfterMs?: number;
  /**
   * Bytes written to the command's standard input, which is then closed. For secrets: argv is
   * visible to every user of the machine (`ps`), standard input is not.
   */
  stdin?: Uint8Array;
}

export interface ProcessResult {
  argv: string[];
  exitCode: number | null;
  signalCode: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The signal was aborted while the command ran. */
  cancelled: boolean;
  /** It was SIGKILLed because it had not ended `killAfterMs` after the SIGINT. */
  killedAfterGrace: boolean;
}

const DEFAULT_KEEP = 8 * 1024 * 1024;
const DEFAULT_KILL_AFTER_MS = 10_000;

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
  // Checked right before the spawn, with no await in between: an abort cannot slip through.
  if (options.signal?.aborted) throw new AppError("cancelled", `cancelled before ${argv.slice(0, 2).join(" ")} started`);
  let proc: Bun.Subprocess<"ignore" | Uint8Array, "pipe", "pipe">;
  try {
    proc = Bun.spawn(argv, {
      stdin: options.stdin ?? "ignore",
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
  let cancelled = false;
  let killedAfterGrace = false;
  let killTimer: Timer | undefined;
  const onAbort = () => {
    cancelled = true;
    proc.kill("SIGINT");
    killTimer = setTimeout(() => {
      killedAfterGrace = true;
      proc.kill("SIGKILL");
    }, options.killAfterMs ?? DEFAULT_KILL_AFTER_MS);
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const keep = options.keepBytes ?? DEFAULT_KEEP;
  try {
    const [stdout, stderr] = await Promise.all([
      collect(proc.stdout, "stdout", keep, options.onLine),
      collect(proc.stderr, "stderr", keep, options.onLine),
    ]);
    const exitCode = await proc.exited;
    const signalCode = proc.signalCode === null ? null : String(proc.signalCode);
    return { argv, exitCode: timedOut || signalCode ? null : exitCode, signalCode, stdout, stderr, timedOut, cancelled, killedAfterGrace };
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    options.signal?.removeEventListener("abort", onAbort);
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
