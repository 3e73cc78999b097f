// `tart set NAME` (spec §4.9): options applied in tart's order, config.json saved before the
// disk steps (so a failing --disk-size keeps the earlier changes), minimum CPU and memory
// checks (macOS: the config's minimums; every VM: 1 CPU and 128 MiB, the fake's guess at
// Virtualization.framework's), and a disk that can only grow.
import { truncateSync } from "node:fs";
import { join } from "node:path";
import { value } from "../args.ts";
import type { Ctx } from "../context.ts";
import { PlainError, TartRuntimeError } from "../errors.ts";
import { diskBytes, openLocal, randomMAC, readConfig, writeConfig } from "../storage.ts";
import { copySparse } from "./clone.ts";

const VZ_MIN_CPU = 1;
const VZ_MIN_MEMORY = 128 * 1024 * 1024;

const tooSmall = (text: string) => new PlainError(`LessThanMinimalResourcesError: ${text}`);

/** ByteCountFormatter-like decimal GB: "50 GB", "53.7 GB" (rounding not established, spec §7). */
function formatGB(bytes: number): string {
  const gb = bytes / 1e9;
  return `${Number.isInteger(gb) ? gb : Number(gb.toPrecision(3))} GB`;
}

export function run(ctx: Ctx): void {
  const name = ctx.args.args[0]!;
  const dir = openLocal(ctx.home, name);
  const config = readConfig(dir);
  const darwin = config.os === "darwin";

  const cpu = value(ctx.args, "cpu");
  if (cpu !== undefined) {
    const n = Number(cpu);
    if (darwin && n < config.cpuCountMin)
      throw tooSmall(`VM should have ${config.cpuCountMin} CPU cores at minimum (requested ${n})`);
    if (n < VZ_MIN_CPU) throw tooSmall(`VM should have ${VZ_MIN_CPU} CPU cores at minimum (requested ${n})`);
    config.cpuCount = n;
  }
  const memory = value(ctx.args, "memory");
  if (memory !== undefined) {
    const bytes = Number(memory) * 1024 * 1024;
    if (darwin && bytes < config.memorySizeMin)
      throw tooSmall(`VM should have ${config.memorySizeMin} bytes of memory at minimum (requested ${bytes})`);
    if (bytes < VZ_MIN_MEMORY) throw tooSmall(`VM should have ${VZ_MIN_MEMORY} bytes of memory at minimum (requested ${bytes})`);
    config.memorySize = bytes;
  }
  const display = value(ctx.args, "display");
  if (display !== undefined) {
    // Never fails: unparseable parts become 0 and are ignored.
    const unit = display.endsWith("pt") ? "pt" : display.endsWith("px") ? "px" : undefined;
    const [w, h] = (unit ? display.slice(0, -2) : display).split("x").map((s) => (/^\d+$/.test(s) ? Number(s) : 0));
    if (w) config.display.width = w;
    if (h) config.display.height = h;
    if (unit) config.display.unit = unit;
  }
  // Every `set` resets displayRefit unless one of the two flags is given.
  delete config.displayRefit;
  if (ctx.args.flags.has("display-refit")) config.displayRefit = true;
  if (ctx.args.flags.has("no-display-refit")) config.displayRefit = false;
  if (ctx.args.flags.has("random-mac")) config.macAddress = randomMAC();
  if (ctx.args.flags.has("random-serial") && darwin)
    config.ecid = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64");
  writeConfig(dir, config);

  const disk = value(ctx.args, "disk");
  if (disk !== undefined) {
    try {
      copySparse(disk, join(dir, "disk.img"));
    } catch {
      throw new PlainError(`The file “${disk.split("/").at(-1)}” couldn’t be opened because there is no such file.`);
    }
  }
  const size = value(ctx.args, "disk-size");
  if (size !== undefined) {
    const want = Number(size) * 1e9;
    const current = diskBytes(dir);
    if (want < current)
      throw new TartRuntimeError(
        `new disk size of ${formatGB(want)} should be larger than the current disk size of ${formatGB(current)}`,
      );
    // Raw disks grow with a truncate: the new space is a hole.
    truncateSync(join(dir, "disk.img"), want);
  }
}
