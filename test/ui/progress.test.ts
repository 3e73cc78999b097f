// Pull progress: the server's task.progress, else the last NN% in the log.
import { describe, expect, test } from "bun:test";
import { percentInLine, percentInLogs, showsProgress, taskProgress } from "../../ui/src/lib/progress.ts";

describe("percentInLine", () => {
  test("tart's pull lines", () => {
    expect(percentInLine("pulling disk (12.5 GB compressed)... 37%")).toBe(37);
    expect(percentInLine("12.5%")).toBe(12.5);
    expect(percentInLine("from 10% to 20 %")).toBe(20);
    expect(percentInLine("no number here")).toBeNull();
    expect(percentInLine("150%")).toBeNull();
  });
});

test("percentInLogs takes the latest", () => {
  expect(percentInLogs(["pulling manifest...", "1%", "2%", "pulling disk 45%", "decompressing"])).toBe(45);
  expect(percentInLogs([])).toBeNull();
});

describe("taskProgress", () => {
  test("prefers task.progress", () => {
    expect(taskProgress({ status: "running", progress: 12, logs: ["90%"] })).toBe(12);
  });
  test("falls back to the log", () => {
    expect(taskProgress({ status: "running", progress: null, logs: ["a", "55%"] })).toBe(55);
  });
  test("indeterminate without either", () => {
    expect(taskProgress({ status: "running", progress: null, logs: ["pulling manifest"] })).toBeNull();
  });
  test("completed is 100, failed keeps its place, values are clamped", () => {
    expect(taskProgress({ status: "completed", progress: 99, logs: [] })).toBe(100);
    expect(taskProgress({ status: "failed", progress: 42, logs: [] })).toBe(42);
    expect(taskProgress({ status: "running", progress: 140, logs: [] })).toBe(100);
  });
});

test("which actions show a bar", () => {
  expect(showsProgress("pull_vm")).toBe(true);
  expect(showsProgress("start_vm")).toBe(false);
});
