// `tart list` (spec §4.1): local VMs sorted by name, then OCI tags and digests sorted by
// name; JSON with the 2.31 field set, a text table without `Running`, or names only (-q).
// Must stay fast for thousands of VMs: a few stats per VM and no config reads.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { value } from "../args.ts";
import { printJSON, printText, type Ctx } from "../context.ts";
import { UsageError } from "../errors.ts";
import { listOCI } from "../oci-cache.ts";
import { out } from "../output.ts";
import { relativeDate } from "../relative-date.ts";
import { runningMark } from "../run-state.ts";
import { allocatedBytes, isSuspended, isVMDir, logicalBytes, vmsDir } from "../storage.ts";
import { renderTable } from "../text-table.ts";

interface Info {
  Source: string;
  Name: string;
  Disk: number;
  Size: number;
  Accessed: number;
  Running: boolean;
  State: string;
}

export function validate(ctx: Ctx): void {
  const source = value(ctx.args, "source");
  if (source !== undefined && source !== "local" && source !== "oci")
    throw new UsageError(`'${source}' is not a valid <source>`, "list");
}

const byName = (a: Info, b: Info) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0);

function info(source: string, name: string, dir: string, local: boolean): Info | null {
  try {
    const running = local && runningMark(dir) !== null;
    return {
      Source: source,
      Name: name,
      Disk: Math.floor(logicalBytes(dir) / 1e9),
      Size: Math.floor(allocatedBytes(dir) / 1e9),
      Accessed: statSync(dir).atimeMs,
      Running: running,
      State: running ? "running" : local && isSuspended(dir) ? "suspended" : "stopped",
    };
  } catch {
    // Deleted while we listed it: skip, as tart skips a directory with missing files.
    return null;
  }
}

export function run(ctx: Ctx): void {
  const source = value(ctx.args, "source");
  const infos: Info[] = [];
  if (source !== "oci") {
    let names: string[] = [];
    try {
      names = readdirSync(vmsDir(ctx.home));
    } catch {
      // No vms/ yet: no local VMs.
    }
    const local: Info[] = [];
    for (const name of names) {
      const dir = join(vmsDir(ctx.home), name);
      if (!isVMDir(dir)) continue;
      const i = info("local", name, dir, true);
      if (i) local.push(i);
    }
    infos.push(...local.sort(byName));
  }
  if (source !== "local") {
    const oci = listOCI(ctx.home)
      .map((e) => info("OCI", e.name, e.dir, false))
      .filter((i): i is Info => i !== null);
    infos.push(...oci.sort(byName));
  }

  if (ctx.args.flags.has("quiet")) {
    if (infos.length) out(infos.map((i) => i.Name).join("\n") + "\n");
    return;
  }
  if (value(ctx.args, "format") === "json") {
    printJSON(
      ctx,
      infos.map((i) => ({ ...i, Accessed: new Date(Math.floor(i.Accessed / 1000) * 1000).toISOString().replace(".000Z", "Z") })),
    );
    return;
  }
  const now = Date.now();
  const rows = infos.map((i) => [i.Source, i.Name, String(i.Disk), String(i.Size), relativeDate(i.Accessed, now), i.State]);
  printText(ctx, renderTable(["Source", "Name", "Disk", "Size", "Accessed", "State"], rows));
}
