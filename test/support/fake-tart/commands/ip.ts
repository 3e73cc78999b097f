// `tart ip NAME` (spec §4.3): `repeat { resolve; sleep } while now < start + wait`, so at
// least one attempt and a failure takes at least one sleep (1 s in tart; the `ip_fail_ms`
// knob shortens it for tests). It never checks that the VM runs: a stopped VM with a live
// lease returns its old address. Only the hint in the failure text depends on running.
import { value } from "../args.ts";
import { printText, type Ctx } from "../context.ts";
import { TartRuntimeError } from "../errors.ts";
import { num } from "../knobs.ts";
import { ipForMAC } from "../leases.ts";
import { runningMark } from "../run-state.ts";
import { openLocal, readConfig } from "../storage.ts";

export async function run(ctx: Ctx): Promise<void> {
  const name = ctx.args.args[0]!;
  const dir = openLocal(ctx.home, name);
  const config = readConfig(dir);
  const resolver = value(ctx.args, "resolver") ?? "dhcp";
  const waitS = Number(value(ctx.args, "wait") ?? "0");
  const tick = num(ctx.knobs.ip_fail_ms, 1000);
  const until = Date.now() + waitS * 1000;
  do {
    // arp and agent are answered from the same lease table: the fake guest always talks.
    const ip = ipForMAC(ctx.home, config.macAddress);
    if (ip) return printText(ctx, ip);
    await Bun.sleep(tick);
  } while (Date.now() < until);

  let text = "no IP address found";
  if (runningMark(dir) === null) text += ", is your VM running?";
  if (resolver === "agent") text += " (also make sure that Guest agent for Tart is running inside of a VM)";
  else if (resolver === "arp" && config.os === "linux")
    text += " (not all Linux distributions are compatible with the ARP resolver)";
  throw new TartRuntimeError(text);
}
