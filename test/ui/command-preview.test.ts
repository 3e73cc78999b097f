// "Copy as tart …": the lines the Pull, Create and Clone dialogs preview come from the server's
// own argv builders, fed the values the dialog sends; and Settings → Host's words and prune form.
import { describe, expect, test } from "bun:test";
import { cloneArgs, commandLine, pullArgs, runArgs, setArgs } from "../../src/adapters/tart/tart-argv.ts";
import { cloneCommands, copyText, createCommands, pullCommands } from "../../ui/src/lib/command-preview.ts";
import { canRetry } from "../../ui/src/stores/tasks.ts";
import { diskUsage, formatBytes, macosVmsLabel, osText, pruneCommand, pruneRequest, pruneSummary } from "../../ui/src/lib/host-facts.ts";

const IMAGE = "ghcr.io/cirruslabs/macos-sequoia-base:latest";

describe("command previews", () => {
  test("pull: exactly the server's argv for the trimmed reference", () => {
    expect(pullCommands(`  ${IMAGE} `)).toEqual([commandLine(pullArgs(IMAGE))]);
    expect(pullCommands("")).toEqual(["tart pull <reference>"]);
    expect(pullCommands("ubuntu")).toEqual(["tart pull <reference>"]);
  });

  test("create: clone, then set with memory in MiB, as the server turns GB into tart's unit", () => {
    const lines = createCommands({ name: "dev", source: IMAGE, cpu: "4", memory: "8", disk: "60" });
    expect(lines).toEqual([commandLine(cloneArgs(IMAGE, "dev")), commandLine(setArgs("dev", { cpu: 4, memoryMiB: 8192, diskSizeGB: 60 }))]);
    expect(lines[1]).toBe("tart set dev --cpu 4 --memory 8192 --disk-size 60");
  });

  test("create: a field without a valid value shows as a placeholder", () => {
    expect(createCommands({ name: "a b", source: IMAGE, cpu: "x", memory: "", disk: "60" })).toEqual([
      `tart clone ${IMAGE} <name>`,
      "tart set <name> --cpu <cpu> --memory <memory> --disk-size 60",
    ]);
  });

  test("clone: the start's tart run only when asked", () => {
    expect(cloneCommands("base", "base-clone", false)).toEqual(["tart clone base base-clone"]);
    expect(cloneCommands("base", "base-clone", true)).toEqual(["tart clone base base-clone", commandLine(runArgs("base-clone"))]);
    expect(cloneCommands("base", "", true)).toEqual(["tart clone base <new-name>", "tart run --vnc --no-graphics <new-name>"]);
  });

  test("copied as one line, each command after the one before succeeded", () => {
    expect(copyText(["tart clone a b", "tart set b --cpu 4"])).toBe("tart clone a b && tart set b --cpu 4");
  });
});

describe("Settings → Host", () => {
  test("sizes, disk use and the macOS VM limit in words", () => {
    expect(formatBytes(212_400_000_000)).toBe("212.4 GB");
    expect(formatBytes(null)).toBe("—");
    expect(diskUsage({ free_bytes: 250e9, total_bytes: 1000e9 })).toEqual({ text: "250.0 GB free of 1.00 TB", usedPercent: 75 });
    expect(diskUsage({ free_bytes: null, total_bytes: null }).text).toBe("unknown");
    expect(macosVmsLabel({ running: 1, limit: 2, names: ["dev"] })).toBe("1 of 2 (dev)");
    expect(osText({ name: "macOS", version: "15.5", source: "sw_vers" })).toBe("macOS 15.5");
  });

  test("the prune form needs an age or a budget, as tart does", () => {
    expect(pruneRequest({ entries: "caches", olderThan: "", spaceBudget: "" }).errors.criteria).toMatch(/age in days, a space budget/);
    expect(pruneRequest({ entries: "caches", olderThan: "x", spaceBudget: "" }).errors.olderThan).toMatch(/whole number of days/);
    expect(pruneRequest({ entries: "vms", olderThan: "30", spaceBudget: "" }).request).toEqual({ entries: "vms", older_than_days: 30 });
    expect(pruneRequest({ entries: "caches", olderThan: "", spaceBudget: "0" }).request).toEqual({ entries: "caches", space_budget_gb: 0 });
    expect(pruneCommand({ entries: "caches", olderThan: "7", spaceBudget: "50" })).toBe("tart prune --entries caches --older-than 7 --space-budget 50");
    expect(pruneCommand({ entries: "caches", olderThan: "", spaceBudget: "" })).toBe("tart prune --entries caches <criteria>");
  });

  test("what a finished prune says", () => {
    expect(pruneSummary({ bytes_before: 50e9, bytes_after: 2e9, bytes_reclaimed: 48e9, removed: [{ name: "x", kind: "oci", bytes: 48e9 }] })).toBe(
      "Reclaimed 48.0 GB: 50.0 GB → 2.0 GB; 1 entry removed.",
    );
  });
});

test("a failed registry login offers no Retry (its password was not kept); a failed prune does", () => {
  const failed = { status: "failed" as const, error: "invalid credentials: UnexpectedHTTPStatusCode(when: \"doing ping\", code: 401, details: \"\")", stderr: null };
  expect(canRetry({ ...failed, action: "registry_login" })).toBe(false);
  expect(canRetry({ ...failed, action: "prune", error: "The file couldn’t be removed." })).toBe(true);
});
