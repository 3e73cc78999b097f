// The line under a pull's bar: phase words, bytes in tart's decimal GB, rate, ETA, retries.
import { describe, expect, test } from "bun:test";
import type { PullProgress } from "../../ui/src/api/types.ts";
import { formatEta, formatRate, formatTransferBytes, pullProgressText } from "../../ui/src/lib/pull-progress.ts";

const base: PullProgress = {
  phase: "disk",
  percent: 17,
  bytes_total: 24.3e9,
  bytes_done: 4.131e9,
  bytes_per_second: 85e6,
  eta_seconds: 237,
  attempt: 1,
  retry_at: null,
};

describe("units as tart counts them (GB = 1e9)", () => {
  test("bytes", () => {
    expect(formatTransferBytes(24.3e9)).toBe("24.3 GB");
    expect(formatTransferBytes(350e6)).toBe("350 MB");
    expect(formatTransferBytes(0)).toBe("0 MB");
  });
  test("rate", () => {
    expect(formatRate(85e6)).toBe("85 MB/s");
    expect(formatRate(2.5e6)).toBe("2.5 MB/s");
    expect(formatRate(1.5e9)).toBe("1.5 GB/s");
  });
  test("ETA rounded as people say it", () => {
    expect(formatEta(20)).toBe("less than a minute left");
    expect(formatEta(237)).toBe("about 4 min left");
    expect(formatEta(4800)).toBe("about 1 h 20 min left");
    expect(formatEta(7200)).toBe("about 2 h left");
  });
});

describe("pullProgressText", () => {
  test("downloading: how far, how fast, how long", () => {
    expect(pullProgressText(base, 0)).toBe("4.1 GB of 24.3 GB · 85 MB/s · about 4 min left");
  });
  test("before a rate is known, only the bytes", () => {
    expect(pullProgressText({ ...base, bytes_done: 0, bytes_per_second: null, eta_seconds: null }, 0)).toBe("0 MB of 24.3 GB");
  });
  test("the phases before and after the disk say what tart does", () => {
    expect(pullProgressText({ ...base, phase: "lock", bytes_total: null, bytes_done: null }, 0)).toBe("Waiting for another pull from the same registry");
    expect(pullProgressText({ ...base, phase: "manifest", bytes_total: null, bytes_done: null }, 0)).toBe("Reading the manifest");
    expect(pullProgressText({ ...base, phase: "nvram", bytes_done: 24.3e9 }, 0)).toBe("Downloading the NVRAM · 24.3 GB of 24.3 GB");
    expect(pullProgressText({ ...base, phase: "cached" }, 0)).toBe("Already cached");
  });
  test("a retry after a network drop counts down and names the attempt", () => {
    const retrying = { ...base, phase: "retrying" as const, attempt: 2, retry_at: 110 };
    expect(pullProgressText(retrying, 100)).toBe("Network lost; retrying in 10 s (attempt 2)");
    expect(pullProgressText({ ...retrying, retry_at: null }, 100)).toBe("Network lost; retrying (attempt 2)");
    expect(pullProgressText({ ...base, attempt: 2 }, 0)).toBe("Attempt 2 · 4.1 GB of 24.3 GB · 85 MB/s · about 4 min left");
  });
  test("nothing to say without progress", () => {
    expect(pullProgressText(null, 0)).toBeNull();
    expect(pullProgressText(undefined, 0)).toBeNull();
  });
});
