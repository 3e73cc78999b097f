// The CLI's argument parser and progress line, pure: what a command line becomes, and what is
// refused before any request is made.
import { describe, expect, test } from "bun:test";
import { parseArguments, wholeNumber } from "../../src/cli/arguments.ts";
import { CliUsageError } from "../../src/cli/exit-codes.ts";
import { progressLine } from "../../src/cli/progress-bar.ts";

const spec = { positionals: ["NAME", "NEW?"], flags: { cpu: "value", wait: "switch", follow: "switch" }, aliases: { f: "follow" } } as const;

describe("parseArguments", () => {
  test("words, --flag value, --flag=value, switches and aliases in any order", () => {
    const parsed = parseArguments(["--cpu=4", "dev", "-f", "--wait", "copy"], spec);
    expect(parsed.positionals).toEqual({ NAME: "dev", NEW: "copy" });
    expect(parsed.values).toEqual({ cpu: "4" });
    expect([...parsed.switches].sort()).toEqual(["follow", "wait"]);
    expect(parseArguments(["dev", "--cpu", "2"], spec).values.cpu).toBe("2");
  });

  test("-- ends the flags: a name that starts with a dash is a word after it", () => {
    expect(parseArguments(["--", "-odd"], spec).positionals.NAME).toBe("-odd");
  });

  test.each([
    [[], "missing NAME"],
    [["a", "b", "c"], 'unexpected argument "c"'],
    [["a", "--nope"], "unknown option --nope"],
    [["a", "-x"], "unknown option -x"],
    [["a", "--cpu"], "--cpu needs a value"],
    [["a", "--cpu="], "--cpu needs a value"],
    [["a", "--wait=yes"], "--wait takes no value"],
  ])("%p is refused: %s", (argv, message) => {
    expect(() => parseArguments(argv, spec)).toThrow(CliUsageError);
    expect(() => parseArguments(argv, spec)).toThrow(message);
  });

  test("wholeNumber takes digits only", () => {
    expect(wholeNumber(parseArguments(["a", "--cpu", "8"], spec), "cpu")).toBe(8);
    expect(wholeNumber(parseArguments(["a"], spec), "cpu")).toBeUndefined();
    for (const bad of ["-1", "1.5", "4cores", "0x10"]) expect(() => wholeNumber(parseArguments(["a", `--cpu=${bad}`], spec), "cpu")).toThrow("whole number");
  });
});

describe("progressLine", () => {
  const pull = { phase: "disk", percent: 50, bytes_total: 24.3e9, bytes_done: 12.15e9, bytes_per_second: 61e6, eta_seconds: 199, attempt: 1, retry_at: null } as const;

  test("a pull: bar, percent, bytes, rate, time left", () => {
    expect(progressLine({ progress: 50, pull_progress: { ...pull } })).toBe("[############------------]   50%  12.2/24.3 GB  61 MB/s  3m left");
  });

  test("a task without percentages has no bar; a pull before its first percentage shows its phase", () => {
    expect(progressLine({ progress: null, pull_progress: null })).toBeNull();
    expect(progressLine({ progress: null, pull_progress: { ...pull, phase: "manifest", percent: null } })).toBe("manifest…");
    expect(progressLine({ progress: null, pull_progress: { ...pull, phase: "retrying" } })).toBe("retrying (attempt 2)…");
  });

  test("the bar is full at 100% and never overflows", () => {
    expect(progressLine({ progress: 140, pull_progress: null })).toBe(`[${"#".repeat(24)}]  140%`);
  });
});
