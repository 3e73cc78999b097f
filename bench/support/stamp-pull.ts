/**
 * Runs the fake `tart pull …` with its stdout on a pipe, forwards every chunk to our stdout at once
 * (synchronously, before doing anything else with it), and records when each line came out of the
 * fake: the wall-clock time (performance.timeOrigin + performance.now(), the same clock the
 * benchmark's websocket clients use) at which the chunk holding it was read. Lines inside one
 * chunk were printed at or a little before that time, so the latency measured from it errs low by
 * at most the gap between two reads; the extra hop through this process errs high.
 *
 * On exit it writes $BENCH_STAMP_DIR/<reference>.json: { lines, times, bytes } and exits with the
 * fake's code. stderr is inherited.
 */
import { writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const fake = process.env.BENCH_FAKE_TART!;
const proc = Bun.spawn([fake, ...args], { stdin: "ignore", stdout: "pipe", stderr: "inherit", env: process.env });
const now = () => performance.timeOrigin + performance.now();

const lines: string[] = [];
const times: number[] = [];
let bytes = 0;
let partial = "";
const decoder = new TextDecoder();

function forward(chunk: Uint8Array): void {
  let rest = chunk;
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(1, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
    }
  }
}

const reader = proc.stdout.getReader();
for (;;) {
  const { done, value: chunk } = await reader.read();
  if (done) break;
  const t = now();
  forward(chunk);
  bytes += chunk.length;
  const parts = (partial + decoder.decode(chunk, { stream: true })).split("\n");
  partial = parts.pop()!;
  for (const line of parts) {
    lines.push(line);
    times.push(t);
  }
}
if (partial) {
  lines.push(partial);
  times.push(now());
}
const code = await proc.exited;
const reference = args[args.length - 1] ?? "unknown";
writeFileSync(join(process.env.BENCH_STAMP_DIR!, `${reference.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`), JSON.stringify({ lines, times, bytes }));
process.exit(code);
