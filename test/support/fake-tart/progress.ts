// Tart's console progress (spec §1.4): `N%` lines on stdout, the first at once, later ones
// at most one per interval (tart: 1 s) plus the final one, equal lines skipped. Unless the
// env var CI exists (any value), every update after the first is prefixed with
// ESC[1A CR ESC[J, even into a pipe, because InteractiveConsoleLogger rewrites the last line.
import { out, println } from "./output.ts";

const REWRITE = "\x1b[1A\r\x1b[J";

export interface ProgressOptions {
  steps: number;
  intervalMs: number;
  /** Benchmark mode: this many lines, back to back, no pacing and no de-duplication. */
  flood?: number;
  /** In benchmark mode, pad each line to about this many bytes (`NN% ` then dots). */
  floodLineBytes?: number;
  /** Stop after the first line at or past this percent (a download cut off there). */
  stopAt?: number;
}

export async function showProgress(opts: ProgressOptions): Promise<void> {
  const interactive = process.env.CI === undefined;
  const update = (line: string) => out(interactive ? `${REWRITE}${line}\n` : `${line}\n`);
  println("0%");
  if (opts.stopAt !== undefined && opts.stopAt <= 0) return;
  if (opts.flood && opts.flood > 0) {
    const pad = ".".repeat(Math.max(0, (opts.floodLineBytes ?? 0) - 5));
    const padded = pad ? ` ${pad}` : "";
    for (let i = 1; i < opts.flood; i++) update(`${Math.floor((100 * i) / opts.flood)}%${padded}`);
    return;
  }
  const steps = Math.max(1, Math.floor(opts.steps));
  let last = "0%";
  for (let i = 1; i <= steps; i++) {
    await Bun.sleep(opts.intervalMs);
    const line = `${Math.floor((100 * i) / steps)}%`;
    if (line !== last) update(line);
    last = line;
    if (opts.stopAt !== undefined && (100 * i) / steps >= opts.stopAt) return;
  }
}
