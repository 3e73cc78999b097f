/**
 * The TartPort over the real `tart` executable. Each method builds one argv (names were validated
 * before they got here, and none starts with `-`), runs it with its command's timeout, and turns
 * the result into a typed value or a TartCommandError carrying tart's own message. The commands a
 * task can cancel take its AbortSignal down to the process (run-process.ts).
 */
import { AppError, TART_INSTALL_HINT } from "../../domain/errors.ts";
import type { CommandObserver, CommandOutcome, DetachedRun, PruneOptions, RunOptions, TartListEntry, TartPort, TartSettings, TartVmConfig } from "../../domain/ports.ts";
import { startDetached } from "./detached-run.ts";
import { runProcess, SpawnError } from "./run-process.ts";
import { cloneArgs, loginArgs, logoutArgs, pruneArgs, pullArgs, runArgs, setArgs } from "./tart-argv.ts";
import { TartCommandError } from "../../domain/tart-command-error.ts";
import { parseGet, parseList } from "./tart-json.ts";
import type { TartLocator } from "./locate-tart.ts";
import type { TartCommand, TartTimeouts } from "./timeouts.ts";

/** How a tart command ended, as the metrics count it. */
export type TartCallOutcome = "ok" | "failed" | "timeout" | "cancelled" | "unavailable";

export interface TartCliOptions {
  locator: TartLocator;
  timeouts: TartTimeouts;
  env: Record<string, string | undefined>;
  /** How long a cancelled command has, after SIGINT, to clean up before it is SIGKILLed. */
  cancelGraceMs: number;
  /** Told of every command's end (seconds null: the detached `tart run`, started, not waited for). */
  onCall?: (verb: TartCommand | "run", outcome: TartCallOutcome, seconds: number | null) => void;
}

export class TartCli implements TartPort {
  constructor(private readonly options: TartCliOptions) {}

  get path(): string | null {
    return this.options.locator.current();
  }

  async version(): Promise<string> {
    const outcome = await this.exec("version", ["--version"]);
    return outcome.stdout.trim();
  }

  async list(): Promise<TartListEntry[]> {
    return parseList((await this.exec("list", ["list", "--format", "json"])).stdout);
  }

  async get(name: string): Promise<TartVmConfig> {
    return parseGet((await this.exec("get", ["get", name, "--format", "json"])).stdout);
  }

  async ip(name: string): Promise<string | null> {
    try {
      const ip = (await this.exec("ip", ["ip", name])).stdout.trim();
      return ip || null;
    } catch (error) {
      // exit 1 is "no IP address found" (still booting, or never ran); anything else is a real error.
      if (error instanceof TartCommandError && error.exitCode === 1) return null;
      throw error;
    }
  }

  async fqn(name: string): Promise<string> {
    return (await this.exec("fqn", ["fqn", name])).stdout.trim();
  }

  stop(name: string, timeoutSeconds: number | null, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    const args = timeoutSeconds === null ? ["stop", name] : ["stop", "--timeout", String(timeoutSeconds), name];
    return this.exec("stop", args, observer, undefined, signal);
  }

  suspend(name: string, observer?: CommandObserver): Promise<CommandOutcome> {
    return this.exec("suspend", ["suspend", name], observer);
  }

  rename(name: string, newName: string, observer?: CommandObserver): Promise<CommandOutcome> {
    return this.exec("rename", ["rename", name, newName], observer);
  }

  delete(name: string, observer?: CommandObserver): Promise<CommandOutcome> {
    return this.exec("delete", ["delete", name], observer);
  }

  clone(source: string, target: string, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    return this.exec("clone", cloneArgs(source, target), observer, { CI: "1" }, signal);
  }

  set(name: string, settings: TartSettings, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    return this.exec("set", setArgs(name, settings), observer, undefined, signal);
  }

  pull(reference: string, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    // With CI set, tart prints progress as plain lines instead of rewriting the last one.
    return this.exec("pull", pullArgs(reference), observer, { CI: "1" }, signal);
  }

  prune(options: PruneOptions, observer?: CommandObserver): Promise<CommandOutcome> {
    return this.exec("prune", pruneArgs(options), observer);
  }

  login(host: string, username: string, password: string, observer?: CommandObserver): Promise<CommandOutcome> {
    // Only the argv is logged (the observer's onStart): the password travels on stdin alone.
    return this.exec("login", loginArgs(host, username), observer, undefined, undefined, new TextEncoder().encode(password));
  }

  logout(host: string, observer?: CommandObserver): Promise<CommandOutcome> {
    return this.exec("logout", logoutArgs(host), observer);
  }

  runDetached(name: string, logDir: string, options: RunOptions = {}): DetachedRun {
    const argv = [this.requirePath(), ...runArgs(name, options)];
    const run = startDetached(argv, logDir, `run-${Date.now()}-${process.pid}`, this.options.env);
    this.options.onCall?.("run", "ok", null);
    return run;
  }

  private requirePath(): string {
    const path = this.options.locator.current();
    if (!path) throw new AppError("tart_unavailable", `tart was not found in ${this.options.locator.describe()}. ${TART_INSTALL_HINT}`);
    return path;
  }

  private async exec(
    command: TartCommand,
    args: string[],
    observer?: CommandObserver,
    extraEnv?: Record<string, string>,
    signal?: AbortSignal,
    stdin?: Uint8Array,
  ): Promise<CommandOutcome> {
    const argv = [this.requirePath(), ...args];
    const timeoutMs = this.options.timeouts[command];
    observer?.onStart?.(argv);
    const started = performance.now();
    const ended = (outcome: TartCallOutcome) => this.options.onCall?.(command, outcome, (performance.now() - started) / 1000);
    let result;
    try {
      result = await runProcess(argv, {
        timeoutMs,
        env: extraEnv ? { ...this.options.env, ...extraEnv } : this.options.env,
        onLine: observer?.onLine,
        signal,
        killAfterMs: this.options.cancelGraceMs,
        stdin,
      });
    } catch (error) {
      // Anything else thrown here is a cancel before the spawn: no command ran, none is counted.
      if (error instanceof SpawnError) {
        ended("unavailable");
        this.options.locator.invalidate();
        throw new AppError("tart_unavailable", `${error.detail}. ${TART_INSTALL_HINT}`);
      }
      throw error;
    }
    ended(result.timedOut ? "timeout" : result.cancelled ? "cancelled" : result.signalCode || result.exitCode !== 0 ? "failed" : "ok");
    if (result.timedOut) {
      throw new AppError("timeout", `tart ${command} timed out after ${formatSeconds(timeoutMs)} and was killed`);
    }
    const outcome: CommandOutcome = {
      argv,
      exitCode: result.exitCode ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
    };
    if (result.signalCode) {
      outcome.signal = result.signalCode;
      outcome.stderr ||= result.killedAfterGrace
        ? `tart ${command} did not stop within ${formatSeconds(this.options.cancelGraceMs)} of being cancelled and was killed`
        : `tart ${command} crashed (${result.signalCode})`;
    }
    observer?.onEnd?.(outcome);
    if (result.signalCode || result.exitCode !== 0) throw new TartCommandError(outcome);
    return outcome;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
