// Turning tart's output and units into the API's: escapes stripped, progress read, MiB → "8G".
import { describe, expect, test } from "bun:test";
import { cleanLine, firstLine, progressOf } from "../../src/domain/text.ts";
import { diskFromGB, memoryFromMiB } from "../../src/domain/units.ts";
import { LogRing } from "../../src/domain/log-ring.ts";

describe("text", () => {
  test("strips tart's interactive-logger escapes", () => {
    expect(cleanLine("\x1b[1A\r\x1b[J42%")).toBe("42%");
    expect(cleanLine("\x1b[31mred\x1b[0m")).toBe("red");
    expect(cleanLine("a\rb")).toBe("b");
  });
  test("progress lines", () => {
    expect(progressOf("0%")).toBe(0);
    expect(progressOf("100%")).toBe(100);
    expect(progressOf("101%")).toBeNull();
    expect(progressOf("pulling disk (24.3 GB compressed)...")).toBeNull();
  });
  test("first line of an error", () => {
    expect(firstLine("\n\nError: x\nHelp: y")).toBe("Error: x");
    expect(firstLine("")).toBeNull();
  });
});

describe("units", () => {
  test("memory from MiB", () => {
    expect(memoryFromMiB(8192)).toBe("8G");
    expect(memoryFromMiB(4096)).toBe("4G");
    expect(memoryFromMiB(1536)).toBe("1536M");
    expect(memoryFromMiB(null)).toBeNull();
  });
  test("disk from GB", () => {
    expect(diskFromGB(50)).toBe("50G");
    expect(diskFromGB(undefined)).toBeNull();
  });
});

describe("log ring", () => {
  test("keeps the newest lines and the offset of the first", () => {
    const ring = new LogRing(3);
    for (let i = 0; i < 10; i++) ring.push(`l${i}`);
    expect(ring.all()).toEqual(["l7", "l8", "l9"]);
    expect(ring.firstOffset).toBe(7);
    expect(ring.total).toBe(10);
    expect(ring.since(8)).toEqual({ offset: 8, lines: ["l8", "l9"] });
    expect(ring.since(0)).toEqual({ offset: 7, lines: ["l7", "l8", "l9"] });
    expect(ring.since(10)).toEqual({ offset: 10, lines: [] });
  });
});
