// `tart get NAME` (spec §4.2): local VMs only; Memory in MiB, Size a string with 3 decimals,
// Display "WxH" plus an optional unit. The text form is a one-row table without Running.
import { value } from "../args.ts";
import { printJSON, printText, type Ctx } from "../context.ts";
import { runningMark } from "../run-state.ts";
import { allocatedBytes, displayText, isSuspended, logicalBytes, openLocal, readConfig } from "../storage.ts";
import { renderTable } from "../text-table.ts";

export function run(ctx: Ctx): void {
  const name = ctx.args.args[0]!;
  const dir = openLocal(ctx.home, name);
  const config = readConfig(dir);
  const running = runningMark(dir) !== null;
  const info = {
    OS: config.os,
    CPU: config.cpuCount,
    Memory: Math.floor(config.memorySize / 1024 / 1024),
    Disk: Math.floor(logicalBytes(dir) / 1e9),
    DiskFormat: config.diskFormat ?? "raw",
    Size: (allocatedBytes(dir) / 1e9).toFixed(3),
    Display: displayText(config.display),
    Running: running,
    State: running ? "running" : isSuspended(dir) ? "suspended" : "stopped",
  };
  if (value(ctx.args, "format") === "json") return printJSON(ctx, info);
  const headers = ["OS", "CPU", "Memory", "Disk", "DiskFormat", "Size", "Display", "State"];
  const row = headers.map((h) => String(info[h as keyof typeof info]));
  printText(ctx, renderTable(headers, [row]));
}
