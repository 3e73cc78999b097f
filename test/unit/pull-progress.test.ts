// Reading a pull's progress from tart's own lines (spec'd in docs/API.md "pull_progress"): the
// phases, the compressed size, percentages with and without the interactive logger's
// ESC[1A CR ESC[J prefix, the sliding-window rate and ETA, retries and the end.
import { describe, expect, test } from "bun:test";
import { parsePullLine, PullProgressTracker, RATE_WINDOW_MS } from "../../src/domain/pull-progress.ts";

const REWRITE = "\x1b[1A\r\x1b[J";
const REF = "ghcr.io/cirruslabs/macos-sequoia-base:latest";
const DIGEST = `ghcr.io/cirruslabs/macos-sequoia-base@sha256:${"a".repeat(64)}`;

describe("parsePullLine", () => {
  test.each([
    [`pulling ${REF}...`, { kind: "start" }],
    ["pulling manifest...", { kind: "phase", phase: "manifest" }],
    ["waiting for lock...", { kind: "phase", phase: "lock" }],
    ["pulling NVRAM...", { kind: "phase", phase: "nvram" }],
    [`found an image ${DIGEST} that will allow us to avoid fetching 12.1 GB, will try use it...`, { kind: "phase", phase: "dedupe" }],
    [`${DIGEST} image is already cached and linked!`, { kind: "phase", phase: "cached" }],
    [`${DIGEST} image is already cached! creating a symlink...`, { kind: "phase", phase: "cached" }],
    ["pulling disk (24.3 GB compressed)...", { kind: "disk", bytesTotal: 24_300_000_000 }],
    ["pulling disk (0.5 GB compressed)...", { kind: "disk", bytesTotal: 500_000_000 }],
    ["0%", { kind: "percent", percent: 0 }],
    ["100%", { kind: "percent", percent: 100 }],
    [`${REWRITE}42%`, { kind: "percent", percent: 42 }],
    [`${REWRITE}pulling NVRAM...`, { kind: "phase", phase: "nvram" }],
    ["42%\r", { kind: "percent", percent: 42 }],
  ])("%p", (line, parsed) => {
    expect(parsePullLine(line)).toEqual(parsed as never);
  });

  test.each(["", "101%", "VNC server is running at vnc://192.168.64.2", "Error: The network connection was lost.", "pulling disk (lots) ...", 'Error pulling image: "The request timed out.", attempting to re-try...'])(
    "says nothing about %p",
    (line) => {
      expect(parsePullLine(line)).toBeNull();
    },
  );
});

/** Feeds lines at the given times (ms) and returns the tracker. */
function feed(lines: [number, string][], tracker = new PullProgressTracker()): PullProgressTracker {
  for (const [at, line] of lines) tracker.line(line, at);
  return tracker;
}

describe("PullProgressTracker", () => {
  test("null until tart prints a pull line; a percent alone is some other command's", () => {
    const tracker = feed([[0, "42%"], [1, "Stopping VM..."]]);
    expect(tracker.state).toBeNull();
    expect(tracker.done()).toBe(false);
    expect(tracker.state).toBeNull();
  });

  test("a fresh pull, interactive form: phases, bytes, then a rate and an ETA from the second sample", () => {
    const tracker = feed([
      [0, `pulling ${REF}...`],
      [10, "pulling manifest..."],
      [20, "waiting for lock..."],
    ]);
    expect(tracker.state).toEqual({ phase: "lock", percent: null, bytes_total: null, bytes_done: null, bytes_per_second: null, eta_seconds: null, attempt: 1, retry_at: null });
    feed([[1000, "pulling disk (24.3 GB compressed)..."], [1000, "0%"]], tracker);
    expect(tracker.state).toMatchObject({ phase: "disk", percent: 0, bytes_total: 24.3e9, bytes_done: 0, bytes_per_second: null, eta_seconds: null });
    feed([[2000, `${REWRITE}1%`]], tracker);
    // 1 % of 24.3 GB in one second
    expect(tracker.state).toMatchObject({ percent: 1, bytes_done: 243_000_000, bytes_per_second: 243_000_000, eta_seconds: 99 });
    feed([[3000, `${REWRITE}3%`]], tracker);
    expect(tracker.state).toMatchObject({ percent: 3, bytes_done: 729_000_000, bytes_per_second: 364_500_000, eta_seconds: Math.ceil((24.3e9 - 729e6) / 364_500_000) });
  });

  test("the rate looks back about ten seconds, not to the start", () => {
    const tracker = feed([[0, "pulling manifest..."], [0, "pulling disk (10.0 GB compressed)..."], [0, "0%"]]);
    // slow for a minute (0.1 GB per 10 s), then fast (1 GB/s)
    for (let s = 1; s <= 60; s++) if (s % 10 === 0) tracker.line(`${s / 10}%`, s * 1000);
    for (let s = 61; s <= 69; s++) tracker.line(`${6 + (s - 60) * 10}%`, s * 1000);
    const state = tracker.state!;
    expect(state.percent).toBe(96);
    // over the window only the fast part counts: 1 GB/s (10 % of 10 GB per second)
    expect(state.bytes_per_second).toBeGreaterThan(900_000_000);
    expect(state.bytes_per_second).toBeLessThanOrEqual(1_000_000_000);
    expect(RATE_WINDOW_MS).toBe(10_000);
  });

  test("a clone prints no first line; the end is done at 100 %", () => {
    const tracker = feed([[0, "pulling manifest..."], [5, "pulling disk (1.0 GB compressed)..."], [5, "0%"], [1005, "50%"], [2005, "100%"], [2006, "pulling NVRAM..."]]);
    expect(tracker.state).toMatchObject({ phase: "nvram", percent: 100, bytes_done: 1e9, eta_seconds: 0 });
    expect(tracker.done()).toBe(true);
    expect(tracker.state).toMatchObject({ phase: "done", percent: 100, bytes_done: 1e9, eta_seconds: 0, attempt: 1 });
  });

  test("already cached: phase cached, and it stays cached at the end", () => {
    const tracker = feed([[0, `pulling ${REF}...`], [1, "pulling manifest..."], [2, `${DIGEST} image is already cached and linked!`]]);
    expect(tracker.state).toMatchObject({ phase: "cached", percent: null, bytes_total: null });
    expect(tracker.done()).toBe(false);
    expect(tracker.state!.phase).toBe("cached");
  });

  test("deduplication is its own phase", () => {
    const tracker = feed([[0, "pulling manifest..."], [1, `found an image ${DIGEST} that will allow us to avoid fetching 20.0 GB, will try use it...`]]);
    expect(tracker.state!.phase).toBe("dedupe");
  });

  test("a retry: retrying with retry_at and the old figures cleared, then attempt 2 from 0 %", () => {
    const tracker = feed([[0, `pulling ${REF}...`], [0, "pulling disk (24.3 GB compressed)..."], [0, "0%"], [1000, "40%"]]);
    expect(tracker.retrying(2, 1_700_000_005)).toBe(true);
    expect(tracker.state).toEqual({ phase: "retrying", percent: null, bytes_total: 24.3e9, bytes_done: null, bytes_per_second: null, eta_seconds: null, attempt: 2, retry_at: 1_700_000_005 });
    expect(tracker.restart(2)).toBe(true);
    expect(tracker.state).toMatchObject({ phase: "manifest", attempt: 2, retry_at: null });
    // the rate starts afresh: 0 % after 40 % is not a negative speed
    feed([[10_000, `pulling ${REF}...`], [10_000, "pulling disk (24.3 GB compressed)..."], [10_000, "0%"]], tracker);
    expect(tracker.state).toMatchObject({ phase: "disk", percent: 0, bytes_per_second: null, attempt: 2 });
    feed([[11_000, "1%"]], tracker);
    expect(tracker.state!.bytes_per_second).toBe(243_000_000);
  });

  test("a snapshot handed out is never changed afterwards; an unchanged line is no change", () => {
    const tracker = feed([[0, "pulling manifest..."], [0, "pulling disk (1.0 GB compressed)..."], [0, "0%"]]);
    const before = tracker.state!;
    expect(tracker.line("Stopping VM...", 5)).toBe(false);
    expect(feed([[0, "pulling manifest..."]]).line("pulling manifest...", 1)).toBe(false);
    expect(tracker.line("10%", 1000)).toBe(true);
    expect(before.percent).toBe(0);
    expect(tracker.state).not.toBe(before);
  });
});
