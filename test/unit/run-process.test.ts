// Cancelling a running command: SIGINT first (tart cleans up and exits), SIGKILL when it has not
// ended after the grace period, and nothing started at all when the signal was aborted before.
import { expect, test } from "bun:test";
import { runProcess } from "../../src/adapters/tart/run-process.ts";
import { AppError } from "../../src/domain/errors.ts";

const bun = process.execPath;
// Prints "ready", then waits; on SIGINT prints "cleaned" and exits 1, like tart cancelling a pull.
const polite = `process.on("SIGINT", () => { console.log("cleaned"); process.exit(1); }); console.log("ready"); setInterval(() => {}, 1000);`;
// Ignores SIGINT: only SIGKILL ends it.
const stubborn = `process.on("SIGINT", () => {}); console.log("ready"); setInterval(() => {}, 1000);`;

async function cancelWhenReady(script: string, killAfterMs: number) {
  const controller = new AbortController();
  const started = performance.now();
  const result = await runProcess([bun, "-e", script], {
    timeoutMs: 20_000,
    signal: controller.signal,
    killAfterMs,
    onLine: (line) => {
      if (line === "ready") controller.abort();
    },
  });
  return { result, ms: performance.now() - started };
}

test("SIGINT: the command ends its own way, with its exit code and output", async () => {
  const { result } = await cancelWhenReady(polite, 10_000);
  expect(result).toMatchObject({ cancelled: true, killedAfterGrace: false, exitCode: 1, signalCode: null, timedOut: false });
  expect(result.stdout).toContain("cleaned");
});

test("a command that ignores SIGINT is SIGKILLed after the grace period", async () => {
  const { result, ms } = await cancelWhenReady(stubborn, 300);
  expect(result).toMatchObject({ cancelled: true, killedAfterGrace: true, exitCode: null, signalCode: "SIGKILL" });
  expect(ms).toBeGreaterThanOrEqual(300);
});

test("already aborted: nothing is started", async () => {
  const controller = new AbortController();
  controller.abort();
  const error = await runProcess([bun, "-e", "require('fs').writeFileSync('/dev/stderr', 'ran')"], { timeoutMs: 5000, signal: controller.signal }).catch((e) => e);
  expect(error).toBeInstanceOf(AppError);
  expect(error.code).toBe("cancelled");
});

test("without an abort nothing changes", async () => {
  const result = await runProcess([bun, "-e", "console.log('hi')"], { timeoutMs: 5000, signal: new AbortController().signal });
  expect(result).toMatchObject({ exitCode: 0, cancelled: false, killedAfterGrace: false, stdout: "hi\n" });
});
