// `tart run NAME` (spec §4.4): holds the VM's "lock" for its whole life and blocks in the
// foreground. The fake guest gets a DHCP lease `boot_ms` after start; with --vnc the URL
// line is printed only then. Signals behave as in tart: SIGINT (what `tart stop` sends)
// prints "Stopping VM..." and exits 0, SIGUSR1 suspends, SIGUSR2 asks the guest to stop,
// SIGTERM/SIGKILL are not handled so the process just dies, leaving a stale mark that
// run-state.ts recognises as not running.
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Ctx } from "../context.ts";
import { PlainError, TartRuntimeError, UsageError } from "../errors.ts";
import { listed, num } from "../knobs.ts";
import { grantLease, normalizeMAC } from "../leases.ts";
import { crashNow, eprintln, println } from "../output.ts";
import { clearMark, runningMark, tryAcquire } from "../run-state.ts";
import { checkRunOptions } from "../run-options.ts";
import { startVncServer } from "../../vnc-server.ts";
import { isSuspended, isVMDir, randomMAC, readConfig, vmPath, vmsDir, writeConfig, type VMConfig } from "../storage.ts";

const WORDS = ["orchard", "cable", "velvet", "meadow", "pepper", "copper", "lantern", "marble", "harbor", "tunnel", "violin", "walnut"];

/**
 * Starts the VNC server for `--vnc-experimental` and returns tart's URL. Where it runs (its X
 * display) is written to `fake-vnc.json` in the VM's folder, for tests that paint the guest's
 * screen; the server dies with this process.
 */
async function startGuestScreen(dir: string): Promise<string> {
  const password = Array.from({ length: 4 }, () => WORDS[Math.floor(Math.random() * WORDS.length)]).join("-");
  const server = await startVncServer({ password });
  process.on("exit", () => server.stop());
  writeFileSync(join(dir, "fake-vnc.json"), JSON.stringify({ display: server.display, port: server.port, pid: server.pid }));
  return `vnc://:${password}@127.0.0.1:${server.port}`;
}

export function validate(ctx: Ctx): void {
  const f = ctx.args.flags;
  if (f.has("vnc") && f.has("vnc-experimental"))
    throw new UsageError("--vnc and --vnc-experimental are mutually exclusive", "run");
  // --net-softnet-allow/-block/-expose imply --net-softnet (Run.swift validate()).
  const softnet = f.has("net-softnet") || ["net-softnet-allow", "net-softnet-block", "net-softnet-expose"].some((o) => ctx.args.values.has(o));
  const nets = [ctx.args.values.has("net-bridged"), softnet, f.has("net-host")].filter(Boolean);
  if (nets.length > 1) throw new UsageError("--net-bridged, --net-softnet and --net-host are mutually exclusive", "run");
  if (f.has("graphics") && f.has("no-graphics"))
    throw new UsageError("--graphics and --no-graphics are mutually exclusive", "run");
  if (f.has("capture-system-keys") && (f.has("no-graphics") || f.has("vnc") || f.has("vnc-experimental")))
    throw new UsageError("--captures-system-keys can only be used with the default VM view", "run");
  // The `nested_unsupported` knob plays a host without it: before macOS 15, or before the M3.
  if (f.has("nested") && ctx.knobs.nested_unsupported === "macos")
    throw new UsageError("Nested virtualization is supported on hosts starting with macOS 15 (Sequoia), and later.", "run");
  if (f.has("nested") && ctx.knobs.nested_unsupported === "chip")
    throw new UsageError("Nested virtualization is available for Mac with the M3 chip, and later.", "run");
  // validate() opens the VM, so a missing VM is wrapped by the parser: "Error: …", exit 1.
  const name = ctx.args.args[0]!;
  const dir = vmPath(ctx.home, name);
  if (name.includes("/") || !isVMDir(dir)) throw new PlainError(`the specified VM "${name}" does not exist`);
  if (f.has("suspendable") && readConfig(dir).os !== "darwin")
    throw new UsageError("You can only suspend macOS VMs", "run");
}

interface Other {
  name: string;
  config: VMConfig;
  by: "run" | "seed";
}

/** The other running VMs; only those with a run mark are read, so this stays cheap. */
function otherRunning(home: string, self: string): Other[] {
  const found: Other[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(vmsDir(home));
  } catch {
    return found;
  }
  for (const name of names) {
    if (name === self) continue;
    const dir = join(vmsDir(home), name);
    const mark = runningMark(dir);
    if (!mark) continue;
    try {
      found.push({ name, config: readConfig(dir), by: mark.by });
    } catch {
      // Deleted under us: not running any more.
    }
  }
  return found;
}

function vncURL(ctx: Ctx, url: string): string {
  const plain = ctx.args.flags.has("no-graphics") || process.env.CI !== undefined;
  return plain ? `VNC server is running at ${url}` : `Opening ${url}...`;
}

export function run(ctx: Ctx): Promise<never> {
  const name = ctx.args.args[0]!;
  const dir = vmPath(ctx.home, name);
  const f = ctx.args.flags;
  let config = readConfig(dir);
  // Building the VM: its shares, network and root disk options, before it is locked.
  checkRunOptions(ctx);
  const others = otherRunning(ctx.home, name);

  if (others.some((o) => normalizeMAC(o.config.macAddress) === normalizeMAC(config.macAddress))) {
    println("There is already a running VM with the same MAC address!");
    println("Resetting VM to assign a new MAC address...");
    config = { ...config, macAddress: randomMAC() };
    writeConfig(dir, config);
  }
  if (!tryAcquire(dir, process.pid)) throw new TartRuntimeError(`VM "${name}" is already running!`, 2);
  const exit = (code: number): never => {
    clearMark(dir, process.pid);
    process.exit(code);
  };

  // Virtualization.framework's two-macOS-guest limit. Seeded "running" VMs have no real
  // process behind them and do not count, so benchmarks can seed hundreds.
  const limit = num(ctx.knobs.vm_limit, 2);
  const macs = others.filter((o) => o.by === "run" && o.config.os === "darwin").map((o) => o.name);
  if (config.os === "darwin" && limit > 0 && macs.length >= limit) {
    eprintln(`The number of VMs exceeds the system limit (other running VMs: ${macs.sort().join(", ")})`);
    return exit(1);
  }

  let resumed = false;
  if (isSuspended(dir)) {
    println("restoring VM state from a snapshot...");
    println("resuming VM...");
    rmSync(join(dir, "state.vzvmsave"), { force: true });
    resumed = true;
  }
  if (f.has("vnc-experimental")) {
    // Virtualization.framework's VNC server: a real one (TigerVNC) serving the fake guest's
    // screen, with tart's 4-word password. `vnc_silent`: the private API failed, and tart
    // waits forever without printing a line.
    if (!ctx.knobs.vnc_silent) void startGuestScreen(dir).then((url) => println(vncURL(ctx, url)));
  }

  let booted = false;
  process.on("SIGINT", () => {
    if (ctx.knobs.run_ignore_sigint) return;
    if (f.has("vnc") && !booted) {
      eprintln("CancellationError()");
      return exit(1);
    }
    println("Stopping VM...");
    exit(0);
  });
  process.on("SIGUSR1", () => {
    if (!f.has("suspendable") && !resumed) {
      println("Failed to suspend the VM: The virtual machine configuration is not supported for saving.");
      return exit(1);
    }
    println("pausing VM to take a snapshot...");
    println("creating a snapshot...");
    writeFileSync(join(dir, "state.vzvmsave"), "fake snapshot\n");
    println("snapshot created successfully! shutting down the VM...");
    exit(0);
  });
  process.on("SIGUSR2", () => {
    println("Requesting guest OS to stop...");
    setTimeout(() => {
      println("guest has stopped the virtual machine");
      exit(0);
    }, 100);
  });

  setTimeout(() => {
    const ip = grantLease(ctx.home, config.macAddress, name, ctx.knobs.lease_subnet);
    booted = true;
    if (f.has("vnc")) {
      if (!ip) {
        eprintln("IPNotFound()");
        return exit(1);
      }
      println(vncURL(ctx, `vnc://${ip}`));
    }
    // The `crash` knob: a run without output still dies abruptly, once the guest is up.
    if (listed(ctx.knobs.crash, "run")) crashNow();
  }, num(ctx.knobs.boot_ms, 2000));

  // --vnc gives up on a guest that gets no lease (tart waits 60 s): IPNotFound(), exit 1.
  if (f.has("vnc"))
    setTimeout(() => {
      if (booted) return;
      eprintln("IPNotFound()");
      exit(1);
    }, num(ctx.knobs.vnc_timeout_ms, 60_000));

  const fail = ctx.knobs.run_fail;
  const after = ctx.knobs.run_exit_after_ms;
  if (fail || typeof after === "number") {
    setTimeout(() => {
      if (fail) {
        if (fail.stdout) println(fail.stdout);
        if (fail.stderr) eprintln(fail.stderr);
        return exit(fail.exit ?? 1);
      }
      println("guest has stopped the virtual machine");
      exit(0);
    }, num(after, 0));
  }

  setInterval(() => {}, 1 << 30);
  return new Promise<never>(() => {});
}
