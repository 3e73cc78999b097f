/**
 * Starting a VM: `tart run --vnc --no-graphics [--suspendable] [run options] NAME` detached (the VM lives inside
 * that process and must outlive this server), then `tart ip` polled until the guest has an
 * address. If `tart run` exits first — unknown VM, an OCI image that must be cloned first, the
 * two-macOS-VM limit — the task fails at once with tart's own message: a "completed" start always
 * has a VM behind it. A suspended VM is resumed by the same `tart run` (it says `restoring VM
 * state from a snapshot...`); the run is remembered (vm-runs.ts) for a later suspend or force stop.
 * With `console`, tart runs its own VNC server instead (`--vnc-experimental`): its line, the
 * only place the VNC password appears, is read, redacted in the task log and in the run's log
 * file, and handed to the console (src/console/); the start waits for it up to the console's
 * own timeout, as tart never gives up by itself, and then reports the console unavailable.
 */
import { AppError } from "./errors.ts";
import type { TartPort } from "./ports.ts";
import { TartCommandError } from "./tart-command-error.ts";
import type { TaskContext } from "./task-manager.ts";
import type { VmRuns } from "./vm-runs.ts";
import type { VmRunOptions } from "./run-options.ts";
import { parseVncLine, redactVncLine, type VncEndpoint } from "../console/vnc-line.ts";
import { scrubSecretFromFile } from "../console/run-log-scrub.ts";
import type { DetachedRun } from "./ports.ts";

export interface StartOptions {
  tart: TartPort;
  name: string;
  logDir: string;
  /** How long to wait for an IP (tart itself gives up after 60 s). */
  timeoutMs: number;
  /** Told when this `tart run` exits, during the task or long after it. */
  onExit?: () => void;
  /** `--suspendable`: the VM can be suspended later (macOS guests only). */
  suspendable?: boolean;
  /** Where the run is remembered while it lives. */
  runs?: VmRuns;
  /** The run options kept for the VM (run-options-kept.ts), checked already. */
  vmOptions?: VmRunOptions | null;
  /** `--vnc-experimental` for the browser console: told tart's VNC endpoint when it prints it. */
  console?: { timeoutMs: number; found(endpoint: VncEndpoint, run: DetachedRun): void };
}

const POLL_MS = 500;
/**
 * A stopped VM that ran recently still has its DHCP lease, so `tart ip` (and tart's own VNC line)
 * can name an IP before a doomed `tart run` has died (the VM limit, a broken VM). Success is
 * reported only once `tart run` has stayed up this long.
 */
const MIN_ALIVE_MS = 1000;
const VNC_LINE = /VNC server is running at (vnc:\/\/\S+)/;
/** tart's line when the VM had a saved state: this start is a resume. */
const RESUME_LINE = /^restoring VM state from a snapshot/;

export async function startVm(ctx: TaskContext, options: StartOptions): Promise<Record<string, unknown>> {
  const { tart, name } = options;
  const observer = ctx.observer();
  const suspendable = options.suspendable === true;
  const wantsConsole = options.console !== undefined;
  const run = tart.runDetached(name, options.logDir, {
    suspendable,
    ...(wantsConsole ? { console: true } : {}),
    ...(options.vmOptions ? { vm: options.vmOptions } : {}),
  });
  let consoleFound = false;
  observer.onStart?.(run.argv);
  options.runs?.add(name, run, suspendable);
  let resumed = false;
  let exitCode: number | null | undefined;
  void run.exited.then((code) => {
    exitCode = code;
    options.onExit?.();
  });
  let consoleUrl: string | null = null;
  const stderrSeen: string[] = [];

  const drain = async () => {
    const { stdout, stderr } = await run.readNewOutput();
    for (const line of lines(stdout)) {
      if (!resumed && RESUME_LINE.test(line)) {
        resumed = true;
        // tart can suspend a VM resumed from a snapshot again, --suspendable or not.
        options.runs?.markSuspendable(name, run);
      }
      if (wantsConsole) {
        const endpoint = consoleFound ? null : parseVncLine(line);
        ctx.log(redactVncLine(line));
        if (endpoint) {
          consoleFound = true;
          if (run.stdoutPath) scrubSecretFromFile(run.stdoutPath, endpoint.password);
          options.console!.found(endpoint, run);
        }
        continue;
      }
      ctx.log(line);
      consoleUrl ??= VNC_LINE.exec(line)?.[1] ?? null;
    }
    for (const line of lines(stderr)) {
      ctx.log(line, "stderr");
      stderrSeen.push(line);
    }
  };

  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutMs;
  let knownIp: string | null = null;
  const consoleDeadline = startedAt + (options.console?.timeoutMs ?? 0);
  const consoleResult = () =>
    wantsConsole ? { console: consoleFound ? "ready" : "unavailable", console_url: consoleFound ? `/vms/${encodeURIComponent(name)}/console` : null } : {};
  const consoleNote = () => (wantsConsole && !consoleFound ? `; console unavailable: tart printed no VNC server line in ${Math.round(options.console!.timeoutMs / 1000)} s` : "");
  while (Date.now() < deadline) {
    await drain();
    if (exitCode !== undefined) break;
    // tart prints the VNC line once the guest has a DHCP lease; otherwise ask `tart ip`.
    // An `ip` error (e.g. "does not exist" for an OCI name) is not the verdict: tart run's exit is.
    const ip: string | null | undefined = knownIp ?? ipOf(consoleUrl) ?? (await Promise.race([tart.ip(name).catch(() => null), run.exited.then(() => undefined)]));
    if (typeof ip === "string") knownIp = ip;
    if (typeof ip === "string" && wantsConsole && !consoleFound && Date.now() < consoleDeadline) {
      await Promise.race([Bun.sleep(POLL_MS / 5), run.exited]); // the guest is up; its console line is still to come
      continue;
    }
    if (typeof ip === "string") {
      await Promise.race([Bun.sleep(Math.max(0, startedAt + MIN_ALIVE_MS - Date.now())), run.exited]);
      if (exitCode !== undefined || (await isSettled(run.exited))) continue; // died: report its error
      await drain();
      return {
        message: (resumed ? `VM ${name} resumed` : `VM ${name} is running`) + consoleNote(),
        ip_address: ip,
        vnc_url: `vnc://${ip}`,
        ...(consoleUrl ? { vnc_console_url: consoleUrl } : {}),
        pid: run.pid,
        suspendable: suspendable || resumed,
        resumed,
        ...consoleResult(),
      };
    }
    if (exitCode === undefined) await Bun.sleep(POLL_MS);
  }
  await Bun.sleep(50); // the exit may race the last write to the log files
  await drain();
  if (exitCode !== undefined) {
    const outcome = { argv: run.argv, exitCode: exitCode ?? -1, stdout: "", stderr: stderrSeen.join("\n") };
    observer.onEnd?.(outcome);
    const error = new TartCommandError(outcome);
    throw new AppError("tart_failed", `tart run exited before ${name} was up: ${error.detail}${hintFor(name)}`);
  }
  // tart run is alive, and the guest has no lease yet (its IP comes later) or, when the console's
  // wait outlasted the start's, has one that is still worth answering with.
  const state = `VM ${name} ${resumed ? "resumed" : "is running"}`;
  return {
    message: (knownIp ? state : `${state}, but it has no IP address yet after ${Math.round(options.timeoutMs / 1000)} s`) + consoleNote(),
    ip_address: knownIp,
    vnc_url: knownIp ? `vnc://${knownIp}` : null,
    ...(consoleUrl ? { vnc_console_url: consoleUrl } : {}),
    pid: run.pid,
    suspendable: suspendable || resumed,
    resumed,
    ...consoleResult(),
  };
}

/** Whether a promise has already settled, without waiting for it. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol();
  return (await Promise.race([promise, Promise.resolve(pending)])) !== pending;
}

/** `vnc://192.168.64.5` → the IP; the experimental VNC's `vnc://:pw@127.0.0.1:port` has none. */
function ipOf(url: string | null): string | null {
  const match = url ? /^vnc:\/\/(\d{1,3}(?:\.\d{1,3}){3})$/.exec(url) : null;
  return match?.[1] ?? null;
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim());
}

function hintFor(name: string): string {
  return name.includes("/") ? " (OCI images cannot run directly: clone or create a VM from it first)" : "";
}
