/**
 * An in-memory TartPort for tests of the domain classes: no processes, no TART_HOME, so a test
 * of the inventory or the locks runs in milliseconds. It keeps the shape of tart's answers (the
 * observer hears argv → lines → outcome, a failure is a TartCommandError with tart's stderr and
 * exit code) but none of its details; the fake `tart` executable (fake-tart/) is the faithful
 * stand-in, used by the API tests.
 *
 * Tests steer it with `fail` (the next call of a command fails) and `hold` (calls of a command
 * wait until released), and read `calls` (the arguments of every call, as the fake's argv log).
 * A command given an AbortSignal behaves as tart does on SIGINT: a held call ends at once, failing
 * with exit 1 and nothing made; `cloneFinishesOnCancel` makes a cancelled clone leave its finished
 * copy in place first (real tart can have moved it into place when the SIGINT comes).
 */
import type { CommandObserver, CommandOutcome, CreateOptions, DetachedRun, PruneOptions, RunOptions, TartListEntry, TartPort, TartSettings, TartState, TartVmConfig } from "../../src/domain/ports.ts";
import { createArgs, loginArgs, logoutArgs, pruneArgs, setArgs } from "../../src/adapters/tart/tart-argv.ts";
import { AppError } from "../../src/domain/errors.ts";
import { TartCommandError } from "../../src/domain/tart-command-error.ts";

/** What the fake tart prints when a cancelled pull or clone ends (real tart's text is not established). */
export const CANCELLED_STDERR = "Error: CancellationError()";

export interface MemoryVm {
  source: "local" | "oci";
  disk: number;
  state: TartState;
  os: string;
  cpu: number;
  memoryMiB: number;
}

type Command = "list" | "get" | "ip" | "fqn" | "stop" | "suspend" | "rename" | "delete" | "clone" | "create" | "set" | "pull" | "prune" | "login" | "logout";

export class MemoryTart implements TartPort {
  readonly path: string | null = "tart";
  readonly vms = new Map<string, MemoryVm>();
  readonly calls: string[][] = [];
  private readonly failures = new Map<Command, { stderr: string; exitCode: number }>();
  private readonly holds = new Map<Command, Promise<void>>();
  cloneFinishesOnCancel = false;

  /** Adds a stopped local macOS VM (4 cores, 8 GB, 50 GB disk) unless told otherwise. */
  add(name: string, vm: Partial<MemoryVm> = {}): this {
    this.vms.set(name, { source: "local", disk: 50, state: "stopped", os: "darwin", cpu: 4, memoryMiB: 8192, ...vm });
    return this;
  }

  /** The next call of `command` fails with this stderr and exit code. */
  fail(command: Command, stderr: string, exitCode = 1): void {
    this.failures.set(command, { stderr, exitCode });
  }

  /** Calls of `command` wait (after they started) until the returned function is called. */
  hold(command: Command): () => void {
    let release!: () => void;
    this.holds.set(command, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(command);
      release();
    };
  }

  async version(): Promise<string> {
    return "2.32.1";
  }

  /** Reads the VMs when called, as tart does when it starts; a held call answers with that. */
  async list(): Promise<TartListEntry[]> {
    const entries = [...this.vms].map(([name, vm]): TartListEntry => ({
      source: vm.source,
      name,
      disk: vm.disk,
      size: Math.round(vm.disk / 3),
      accessed: null,
      running: vm.state === "running",
      state: vm.state,
    }));
    await this.exec("list", ["list", "--format", "json"]);
    return entries;
  }

  async get(name: string): Promise<TartVmConfig> {
    await this.exec("get", ["get", name, "--format", "json"]);
    const vm = this.require(name, ["get", name]);
    const raw = { OS: vm.os, CPU: vm.cpu, Memory: vm.memoryMiB, Disk: vm.disk, Display: "1024x768", State: vm.state };
    return { os: vm.os, cpu: vm.cpu, memoryMiB: vm.memoryMiB, diskGB: vm.disk, display: "1024x768", state: vm.state, raw };
  }

  async ip(name: string): Promise<string | null> {
    await this.exec("ip", ["ip", name]);
    return this.vms.get(name)?.state === "running" ? `192.168.64.${[...this.vms.keys()].indexOf(name) + 2}` : null;
  }

  async fqn(name: string): Promise<string> {
    await this.exec("fqn", ["fqn", name]);
    return `${name.replace(/:[^/:]+$/, "")}@sha256:${"0".repeat(64)}`;
  }

  async stop(name: string, timeoutSeconds: number | null, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    const args = timeoutSeconds === null ? ["stop", name] : ["stop", "--timeout", String(timeoutSeconds), name];
    const outcome = await this.exec("stop", args, observer, signal);
    this.require(name, args).state = "stopped";
    this.endRun(name, 0);
    return outcome;
  }

  /** Suspends at once: the VM's run (if any) exits 0, as tart's does once the state is saved. */
  async suspend(name: string, observer?: CommandObserver): Promise<CommandOutcome> {
    const outcome = await this.exec("suspend", ["suspend", name], observer);
    this.require(name, ["suspend", name]).state = "suspended";
    this.endRun(name, 0);
    return outcome;
  }

  async rename(name: string, newName: string, observer?: CommandObserver): Promise<CommandOutcome> {
    const outcome = await this.exec("rename", ["rename", name, newName], observer);
    const vm = this.require(name, ["rename", name, newName]);
    this.vms.delete(name);
    this.vms.set(newName, vm);
    return outcome;
  }

  async delete(name: string, observer?: CommandObserver): Promise<CommandOutcome> {
    const outcome = await this.exec("delete", ["delete", name], observer);
    this.vms.delete(name);
    return outcome;
  }

  async clone(source: string, target: string, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    const make = () => {
      const from = this.vms.get(source) ?? { source: "oci" as const, disk: 50, state: "stopped" as const, os: "darwin", cpu: 4, memoryMiB: 8192 };
      this.vms.set(target, { ...from, source: "local", state: "stopped" });
    };
    const outcome = await this.exec("clone", ["clone", source, target], observer, signal, this.cloneFinishesOnCancel ? make : undefined);
    make();
    return outcome;
  }

  async set(name: string, settings: TartSettings, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    const args = setArgs(name, settings);
    const outcome = await this.exec("set", args, observer, signal);
    const vm = this.require(name, args);
    Object.assign(vm, {
      cpu: settings.cpu ?? vm.cpu,
      memoryMiB: settings.memoryMiB ?? vm.memoryMiB,
      disk: settings.diskSizeGB ?? vm.disk,
    });
    return outcome;
  }

  async create(name: string, options: CreateOptions, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    const args = createArgs(name, options);
    const outcome = await this.exec("create", args, observer, signal);
    this.vms.set(name, { source: "local", disk: options.diskSizeGB ?? 50, state: "stopped", os: options.linux ? "linux" : "darwin", cpu: 4, memoryMiB: 4096 });
    return outcome;
  }

  async pull(reference: string, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome> {
    const outcome = await this.exec("pull", ["pull", reference], observer, signal);
    if (!this.vms.has(reference)) this.add(reference, { source: "oci" });
    return outcome;
  }

  /**
   * The VM runs at once and keeps running until `stop`, `suspend` or `kill`; it prints nothing,
   * except tart's resume line when the VM was suspended.
   */
  runDetached(name: string, _logDir?: string, options: RunOptions = {}): DetachedRun {
    const argv = ["tart", "run", "--vnc", "--no-graphics", ...(options.suspendable ? ["--suspendable"] : []), name];
    this.calls.push(argv.slice(1));
    const vm = this.require(name, argv.slice(1));
    let output = vm.state === "suspended" ? "restoring VM state from a snapshot...\nresuming VM...\n" : "";
    vm.state = "running";
    let exit!: (code: number | null) => void;
    const exited = new Promise<number | null>((resolve) => (exit = resolve));
    this.runs.set(name, exit);
    return {
      argv,
      pid: 4242,
      exited,
      readNewOutput: async () => {
        const stdout = output;
        output = "";
        return { stdout, stderr: "" };
      },
      kill: () => {
        vm.state = "stopped";
        this.endRun(name, null);
      },
    };
  }

  private readonly runs = new Map<string, (code: number | null) => void>();

  private endRun(name: string, code: number | null): void {
    this.runs.get(name)?.(code);
    this.runs.delete(name);
  }

  /** Waits out a hold; true when the signal was aborted first (or during it). */
  private async untilHeldOrCancelled(command: Command, signal?: AbortSignal): Promise<boolean> {
    const hold = this.holds.get(command);
    if (!signal) {
      await hold;
      return false;
    }
    const aborted = new Promise<true>((resolve) => signal.addEventListener("abort", () => resolve(true), { once: true }));
    return Promise.race([hold?.then(() => false) ?? false, aborted]);
  }

  // Prune and registry accounts (issue 13). A prune removes nothing here (this tart keeps no
  // cache or access dates); a login records what it was given, as the Keychain would.
  readonly logins = new Map<string, { username: string; password: string }>();

  prune(options: PruneOptions, observer?: CommandObserver): Promise<CommandOutcome> {
    return this.exec("prune", pruneArgs(options), observer);
  }

  async login(host: string, username: string, password: string, observer?: CommandObserver): Promise<CommandOutcome> {
    const outcome = await this.exec("login", loginArgs(host, username), observer);
    this.logins.set(host, { username, password });
    return outcome;
  }

  async logout(host: string, observer?: CommandObserver): Promise<CommandOutcome> {
    const outcome = await this.exec("logout", logoutArgs(host), observer);
    this.logins.delete(host);
    return outcome;
  }

  private require(name: string, args: string[]): MemoryVm {
    const vm = this.vms.get(name);
    if (!vm) throw new TartCommandError({ argv: ["tart", ...args], exitCode: 2, stdout: "", stderr: `Error: the specified VM "${name}" does not exist` });
    return vm;
  }

  private async exec(
    command: Command,
    args: string[],
    observer?: CommandObserver,
    signal?: AbortSignal,
    onCancel?: () => void,
  ): Promise<CommandOutcome> {
    const argv = ["tart", ...args];
    // As the real adapter: a command cancelled before it started is never started.
    if (signal?.aborted) throw new AppError("cancelled", `cancelled before tart ${command} started`);
    this.calls.push(args);
    observer?.onStart?.(argv);
    await Promise.resolve(); // like a process: the answer comes later than the call
    const cancelled = await this.untilHeldOrCancelled(command, signal);
    if (cancelled) {
      onCancel?.();
      const outcome: CommandOutcome = { argv, exitCode: 1, stdout: "", stderr: CANCELLED_STDERR };
      observer?.onLine?.(CANCELLED_STDERR, "stderr");
      observer?.onEnd?.(outcome);
      throw new TartCommandError(outcome);
    }
    const failure = this.failures.get(command);
    this.failures.delete(command);
    const outcome: CommandOutcome = { argv, exitCode: failure?.exitCode ?? 0, stdout: "", stderr: failure?.stderr ?? "" };
    if (failure) observer?.onLine?.(failure.stderr, "stderr");
    observer?.onEnd?.(outcome);
    if (failure) throw new TartCommandError(outcome);
    return outcome;
  }
}
