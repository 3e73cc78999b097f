// `tart exec [-i] [-t] NAME CMD...` (spec §4.13): runs CMD in the guest through the Tart guest
// agent. The fake guest is this machine, so CMD really runs here: with `-t` inside a real
// pseudo-terminal (util-linux `script`, which also takes its size from our terminal and follows
// SIGWINCH, as tart passes a resize on to the guest's PTY), with `-i` on our standard input.
// The guest command's exit code is passed through. A VM that is not running: exit 2. The
// `exec_no_agent` knob: a guest without the agent, tart's "control socket" error, exit 1.
import type { Ctx } from "../context.ts";
import { TartRuntimeError, vmNotRunning } from "../errors.ts";
import { runningMark } from "../run-state.ts";
import { openLocal } from "../storage.ts";

const quote = (part: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`);

export async function run(ctx: Ctx): Promise<number> {
  const [name, ...command] = ctx.args.args as [string, ...string[]];
  const dir = openLocal(ctx.home, name);
  if (runningMark(dir) === null) throw vmNotRunning(name);
  if (ctx.knobs.exec_no_agent) {
    throw new TartRuntimeError(
      'Failed to connect to the VM using its control socket: grpc: connection refused (code: unavailable), is the Tart Guest Agent running?',
    );
  }
  const interactive = ctx.args.flags.has("interactive");
  const argv = ctx.args.flags.has("tty") ? ["script", "-qfec", command.map(quote).join(" "), "/dev/null"] : command;
  const proc = Bun.spawn(argv, {
    stdin: interactive ? "inherit" : "ignore",
    stdout: "inherit",
    stderr: "inherit",
    cwd: process.env.HOME ?? "/",
  });
  return await proc.exited;
}
