// Display formatting of sizes, durations and times.
import { describe, expect, test } from "bun:test";
import {
  actionLabel,
  formatCpu,
  formatDisk,
  formatDuration,
  formatMemory,
  formatRelative,
  formatSizeOnDisk,
  sshCommand,
  vncUrl,
} from "../../ui/src/lib/format.ts";

describe("sizes", () => {
  test("memory", () => {
    expect(formatMemory("8G")).toBe("8 GB");
    expect(formatMemory("8192M")).toBe("8 GB");
    expect(formatMemory("512M")).toBe("512 MB");
    expect(formatMemory(16)).toBe("16 GB");
    expect(formatMemory(null)).toBe("—");
    expect(formatMemory("weird")).toBe("weird");
  });
  test("disk", () => {
    expect(formatDisk(50)).toBe("50 GB");
    expect(formatDisk("50G")).toBe("50 GB");
    expect(formatDisk(null)).toBe("—");
  });
  test("size on disk", () => {
    expect(formatSizeOnDisk(0.5)).toBe("512 MB");
    expect(formatSizeOnDisk(3.25)).toBe("3.3 GB");
    expect(formatSizeOnDisk(42.4)).toBe("42 GB");
    expect(formatSizeOnDisk(null)).toBe("—");
  });
  test("cpu", () => {
    expect(formatCpu(1)).toBe("1 core");
    expect(formatCpu(4)).toBe("4 cores");
    expect(formatCpu(null)).toBe("—");
  });
});

test("formatDuration", () => {
  expect(formatDuration(0)).toBe("0s");
  expect(formatDuration(5.9)).toBe("5s");
  expect(formatDuration(75)).toBe("1m 15s");
  expect(formatDuration(3700)).toBe("1h 1m");
  expect(formatDuration(-3)).toBe("0s");
  expect(formatDuration(Number.NaN)).toBe("0s");
});

test("formatRelative", () => {
  const now = Date.parse("2025-01-10T12:00:00Z");
  expect(formatRelative("2025-01-10T11:59:30Z", now)).toBe("just now");
  expect(formatRelative("2025-01-10T11:30:00Z", now)).toBe("30 min ago");
  expect(formatRelative("2025-01-10T09:00:00Z", now)).toBe("3 h ago");
  expect(formatRelative("2025-01-09T12:00:00Z", now)).toBe("1 day ago");
  expect(formatRelative("2024-01-01T00:00:00Z", now)).toBe("2024-01-01");
  expect(formatRelative(null, now)).toBe("—");
  expect(formatRelative("not a date", now)).toBe("not a date");
});

test("connection helpers", () => {
  expect(sshCommand("192.168.64.5")).toBe("ssh admin@192.168.64.5");
  expect(vncUrl("192.168.64.5")).toBe("vnc://192.168.64.5");
  expect(actionLabel("pull_vm")).toBe("Pull");
  expect(actionLabel("create_vm")).toBe("Create");
  expect(actionLabel("")).toBe("Task");
});
