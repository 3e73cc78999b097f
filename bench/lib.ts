/**
 * Shared helpers of the benchmark suite: statistics, process memory, free ports, the reference
 * servers, wrk, and the result rows that bench/run.ts turns into BENCHMARKS.md.
 *
 * Every benchmark measures its reference in the same run, interleaved with the figure where it
 * can, because the machines are shared and noisy: ratios travel, absolute numbers do not.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bunBinDir, ROOT } from "../test/support/server-process.ts";

export { ROOT };
export const BENCH = resolve(import.meta.dir);
export const FAKE_TART = join(ROOT, "test", "support", "fake-tart", "tart");

/** One line of the results table. `met` is null for informational rows without a target. */
export interface Row {
  benchmark: string;
  metric: string;
  figure: string;
  reference: string;
  ratio: string;
  target: string;
  met: boolean | null;
  /** How the figure was measured, for the notes under the table. */
  note?: string;
}

export interface BenchResult {
  name: string;
  rows: Row[];
  notes: string[];
}

// ---------------------------------------------------------------- statistics

export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile of already sorted values (p in 0..100). */
export function percentileSorted(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * values.length);
  return values[Math.min(values.length - 1, Math.max(0, rank - 1))]!;
}

export function percentile(values: readonly number[], p: number): number {
  return percentileSorted(sorted(values), p);
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** Spread of the rounds: (max − min) / median, as a percentage. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const s = sorted(values);
  const m = median(s);
  return m === 0 ? 0 : ((s[s.length - 1]! - s[0]!) / m) * 100;
}

/** "12.3 ms (±8%, 5 rounds)": the median and the spread of the rounds. */
export function withSpread(values: readonly number[], format: (v: number) => string): string {
  return `${format(median(values))} (±${spread(values).toFixed(0)}%, n=${values.length})`;
}

export const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);
export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
export const count = (v: number) => (v >= 1000 ? `${Math.round(v).toLocaleString("en-US")}` : v.toFixed(0));
export const ratio = (figure: number, reference: number) => `${(figure / reference).toFixed(2)}x`;

// ---------------------------------------------------------------- processes

/** Resident memory of a process in bytes (VmRSS of /proc/<pid>/status), or NaN once it is gone. */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the samples' maximum. */
export function sampleRss(pid: number, everyMs = 20): { stop(): number; max(): number } {
  let max = rssOf(pid);
  const timer = setInterval(() => {
    const now = rssOf(pid);
    if (now > max) max = now;
  }, everyMs);
  return {
    max: () => max,
    stop() {
      clearInterval(timer);
      const now = rssOf(pid);
      if (now > max) max = now;
      return max;
    },
  };
}

/** A port nothing listens on right now (the kernel's pick, released at once). */
export function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const port = server.port!;
  server.stop(true);
  return port;
}

/** The environment every tart-driving process of the suite gets: the fake's bun on PATH. */
export function tartEnv(tartHome: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${bunBinDir()}:/usr/bin:/bin`, HOME: tartHome, TART_HOME: tartHome, ...extra };
}

export interface Reference {
  port: number;
  proc: Bun.Subprocess;
  stop(): Promise<void>;
}

/**
 * Starts a bench/reference/*.ts script with the same bun, on `port` (0: a free one, announced on
 * stdout as `listening on PORT`).
 */
export async function startReference(script: string, args: string[], env: Record<string, string> = {}): Promise<Reference> {
  const proc = Bun.spawn([process.execPath, join(BENCH, "reference", script), ...args], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "inherit",
    env: { PATH: "/usr/bin:/bin", ...env },
  });
  const reader = proc.stdout.getReader();
  let text = "";
  const deadline = Date.now() + 10_000;
  while (!/listening on (\d+)/.test(text)) {
    if (Date.now() > deadline) throw new Error(`reference ${script} did not start: ${text}`);
    const { done, value } = await reader.read();
    if (done) throw new Error(`reference ${script} exited: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const port = Number(/listening on (\d+)/.exec(text)![1]);
  return {
    port,
    proc,
    async stop() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}

// ---------------------------------------------------------------- wrk

export interface WrkResult {
  rps: number;
  p50: number; // ms
  p99: number; // ms
  requests: number;
  errors: number; // socket errors + non-2xx
  bytesPerSecond: number;
}

export function haveWrk(): boolean {
  return existsSync("/usr/bin/wrk") || Bun.which("wrk") !== null;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
const UNIT_BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1048576, GB: 1073741824 };

/** `wrk -t1 -cN -dS --latency` against one URL with headers; parses its report. */
export async function wrk(url: string, options: { connections: number; seconds: number; threads?: number; headers?: Record<string, string> }): Promise<WrkResult> {
  const args = ["wrk", `-t${options.threads ?? 1}`, `-c${options.connections}`, `-d${options.seconds}s`, "--latency", "--timeout", "5s"];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}: ${value}`);
  args.push(url);
  const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  if ((await proc.exited) !== 0) throw new Error(`wrk failed: ${err}${out}`);
  const num = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) throw new Error(`cannot parse wrk output (${re}):\n${out}`);
    return m;
  };
  const latency = (label: string) => {
    const m = num(new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m"));
    return Number(m[1]) * UNIT_MS[m[2]!]!;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const transfer = num(/Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/);
  return {
    rps: Number(num(/Requests\/sec:\s+([\d.]+)/)[1]),
    p50: latency("50"),
    p99: latency("99"),
    requests: Number(num(/(\d+) requests in/)[1]),
    errors: (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0),
    bytesPerSecond: Number(transfer[1]) * UNIT_BYTES[transfer[2]!]!,
  };
}

/**
 * The Bun fallback when wrk is missing: `connections` keep-alive loops for `seconds`, each
 * request timed. Bun's fetch pools connections per host, so this keeps them open.
 */
export async function bunLoad(url: string, options: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<WrkResult> {
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const end = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          const response = await fetch(url, { headers: options.headers });
          const body = await response.arrayBuffer();
          bytes += body.byteLength;
          if (!response.ok) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const s = sorted(latencies);
  return { rps: s.length / elapsed, p50: percentileSorted(s, 50), p99: percentileSorted(s, 99), requests: s.length, errors, bytesPerSecond: bytes / elapsed };
}

export async function loadTest(url: string, options: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<WrkResult> {
  return haveWrk() ? wrk(url, options) : bunLoad(url, options);
}

/** Prints progress to stderr so that stdout stays the table. */
export function say(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
