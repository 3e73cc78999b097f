// `tart create NAME` (spec §4.10): --linux is silent and fast; --from-ipsw prints the fetch
// and install phases with progress (paced by the pull knobs). The result replaces an
// existing VM of that name without a word, as VMStorageLocal.move does. Ctrl+C cancels it as
// it cancels any command (spec §1.1): the half-made VM in tmp/ is removed, exit 1. The
// `asif_unsupported` knob plays a host before macOS 26, where Create.swift's validate() refuses ASIF.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { value } from "../args.ts";
import type { Ctx } from "../context.ts";
import { PlainError, UsageError } from "../errors.ts";
import { num } from "../knobs.ts";
import { onCancel } from "../cancel.ts";
import { println } from "../output.ts";
import { showProgress } from "../progress.ts";
import { writeVMFiles } from "../pulling.ts";
import { randomMAC, readConfig, vmPath, vmsDir, writeConfig } from "../storage.ts";

const LATEST_IPSW = "UniversalMac_15.5_24F74_Restore.ipsw";

export function validate(ctx: Ctx): void {
  if (value(ctx.args, "from-ipsw") === undefined && !ctx.args.flags.has("linux"))
    throw new UsageError("Please specify either a --from-ipsw or --linux option!", "create");
  if (value(ctx.args, "disk-format")?.toLowerCase() === "asif" && ctx.knobs.asif_unsupported)
    throw new UsageError("Disk format 'asif' is not supported on this system.", "create");
}

export async function run(ctx: Ctx): Promise<void> {
  const name = ctx.args.args[0]!;
  const ipsw = value(ctx.args, "from-ipsw");
  const diskBytes = Number(value(ctx.args, "disk-size") ?? "50") * 1e9;
  const tmp = join(ctx.home, "tmp", crypto.randomUUID());
  const cancelled = onCancel(() => rmSync(tmp, { recursive: true, force: true }));
  const pace = () =>
    showProgress({ steps: num(ctx.knobs.pull_steps, 4), intervalMs: num(ctx.knobs.pull_interval_ms, 1000) });
  try {
    if (ipsw !== undefined) {
      let file = ipsw.split("/").at(-1)!;
      if (ipsw === "latest") {
        println("Looking up the latest supported IPSW...");
        file = LATEST_IPSW;
      }
      if (ipsw === "latest" || /^https?:\/\//.test(ipsw)) {
        const cached = join(ctx.home, "cache", "IPSWs", file);
        if (existsSync(cached)) println(`Using cached ${file} file...`);
        else {
          println(`Fetching ${file}...`);
          await pace();
          mkdirSync(join(ctx.home, "cache", "IPSWs"), { recursive: true });
          writeFileSync(cached, "fake ipsw\n");
        }
      } else if (!existsSync(ipsw)) {
        throw new PlainError(`The file “${file}” couldn’t be opened because there is no such file.`);
      }
      writeVMFiles(tmp, "darwin", "", diskBytes);
      println("Installing OS...");
      await pace();
    } else writeVMFiles(tmp, "linux", "", diskBytes);

    const config = readConfig(tmp);
    config.macAddress = randomMAC();
    // An IPSW install gets the IPSW's minimum memory (usually 4 GiB).
    if (ipsw !== undefined) config.memorySize = config.memorySizeMin;
    const format = value(ctx.args, "disk-format");
    if (format) config.diskFormat = format.toLowerCase() as "raw" | "asif";
    writeConfig(tmp, config);

    mkdirSync(vmsDir(ctx.home), { recursive: true });
    const dst = vmPath(ctx.home, name);
    if (name.includes("/")) {
      const parts = name.split("/");
      throw new PlainError(
        `“${tmp.split("/").at(-1)}” couldn’t be moved to “${parts.at(-2)}” because either the former doesn’t exist, or the folder containing the latter doesn’t exist.`,
      );
    }
    rmSync(dst, { recursive: true, force: true });
    renameSync(tmp, dst);
  } finally {
    cancelled();
    rmSync(tmp, { recursive: true, force: true });
  }
}
