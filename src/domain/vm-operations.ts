/**
 * The VM operations behind the task endpoints. Each one validates its input, checks what can be
 * checked at once (tart present, VM known, target name free, a create's sizes fit the host and
 * the source: create-fit.ts), takes the VM locks (a pull too), and returns a Task while the work
 * runs in the background; before the task is reported finished its locks are released and the
 * inventory shows its effect. A pull, clone or create can be cancelled (task-cancel.ts); a pull
 * cut off by the network is retried (pull-retry.ts). The lifecycle verbs beyond start and stop —
 * suspend (suspend-vm.ts), force stop (force-stop.ts), rename, settings (vm-settings.ts) — are
 * refused here, before tart, when the VM's state rules them out.
 */
import { checkDiskFits, checkGuestMinimum, checkHostFits, type HostSize } from "./create-fit.ts";
import { conflict, invalid, notFound, requireTart } from "./errors.ts";
import { forceStop, type ForceStopTiming } from "./force-stop.ts";
import { checkAnyVmName, checkLocalName, checkOciReference, isOciName, vmKey } from "./names.ts";
import type { DetachedRun, TartPort, TartSettings } from "./ports.ts";
import type { VncEndpoint } from "../console/vnc-line.ts";
import { pullWithRetries, type PullRetryPolicy } from "./pull-retry.ts";
import { checkCancellable, makingVm, cancelledAfter, pullLeftBehind, TaskCancelled } from "./task-cancel.ts";
import { TartCommandError } from "./tart-command-error.ts";
import { checkImageFits, describeVerdict, type SpaceFacts, type SpaceVerdict } from "./space-check.ts";
import { startVm } from "./start-vm.ts";
import { launchTask } from "./task-launcher.ts";
import { suspendVm } from "./suspend-vm.ts";
import type { Task, TaskAction } from "./task.ts";
import type { TaskContext, TaskManager, TaskWork } from "./task-manager.ts";
import { gbToMiB } from "./units.ts";
import type { Holder, LockRequest, VmLocks } from "./vm-locks.ts";
import type { VmInventory } from "./vm-inventory.ts";
import { VmRuns } from "./vm-runs.ts";
import { describeSettings, planSettings, type SettingsRequest } from "./vm-settings.ts";
import type { KeptRunOptions } from "./run-options-kept.ts";
import type { VmRunOptions } from "./run-options.ts";
import { planScratch, type ScratchFacts, type ScratchRequest } from "./create-from-scratch.ts";
import type { Vm } from "./vm.ts";

export interface CreateRequest {
  name: string;
  source_vm: string;
  cpu?: number | null;
  memory?: number | null;
  disk_size?: number | null;
  /** Create even if an image to be pulled first looks too big for the free space. */
  force?: boolean | null;
}

/** Throws a validation error when a stored task's params would not pass its route's schema today. */
export type RetryInputCheck = (action: TaskAction, params: Record<string, unknown>) => void;

export interface OperationsOptions {
  tart: TartPort;
  tasks: TaskManager;
  locks: VmLocks;
  inventory: VmInventory;
  /** The host's cores and memory: the most a created VM can get. */
  host: HostSize;
  runLogDir: string;
  startTimeoutMs: number;
  stopTimeoutSeconds: number;
  pullRetry: PullRetryPolicy;
  /** Free space and image sizes for the check before a pull (space-check.ts); none: not checked. */
  space?: SpaceFacts;
  /** How long a cancel waits for its task to end: tart's grace period after SIGINT, and a little. */
  cancelWaitMs: number;
  /**
   * Retries of the tasks other modules launch (prune, registry login and logout), by action: they
   * are about no one VM, and live in their own modules (prune.ts, registry-logins.ts).
   */
  otherRetries?: OtherRetries;
  /** Told when a clone or create has made a VM from a source, and when a delete removed one. */
  origins?: { made(name: string, source: string): void; removed(name: string): void; renamed(from: string, to: string): void };
  /** The `tart run`s this server started (for suspend and force stop); the inventory shares it. */
  runs?: VmRuns;
  /** A force stop's waits (tests shorten them). */
  forceStop?: ForceStopTiming;
  /** What a create from scratch is checked against besides the host's size (create-from-scratch.ts). */
  scratchFacts?: () => Promise<Omit<ScratchFacts, "host">>;
  /** The run options kept per VM (run-options-kept.ts): every start runs with them. */
  runOptions?: Pick<KeptRunOptions, "forStart" | "renamed" | "removed">;
  /** Where a console start's VNC endpoint goes (src/console/), and how long tart may take to print it. */
  console?: { timeoutMs: number; found(name: string, endpoint: VncEndpoint, run: DetachedRun): void };
}

/**
 * How a VM is started: `suspendable` adds `--suspendable` (macOS guests only); `console` runs
 * tart's own VNC server for the browser console (`--vnc-experimental`).
 */
export interface StartRequest {
  suspendable?: boolean;
  console?: boolean;
}

/** How a VM is stopped: `force` gives tart no grace and kills the run if need be. */
export interface StopRequest {
  force?: boolean;
}

export type OtherRetries = Record<"prune" | "registry_login" | "registry_logout", (task: Task) => Promise<Task> | Task> &
  // Tasks on Orchard clusters (src/orchard/cluster-vms.ts), when clusters are wired in.
  Partial<Record<"create_cluster_vm" | "stop_cluster_vm" | "delete_cluster_vm", (task: Task) => Promise<Task> | Task>>;

/** `tart create`'s disk when none is asked for (Create.swift). */
const TART_DEFAULT_DISK_GB = 50;

/** tart's exit code for a usage error: an old tart without `stop --timeout`. */
const EXIT_USAGE = 64;

export class VmOperations {
  private readonly pulls = new Map<string, Task>();
  private readonly runs: VmRuns;

  constructor(private readonly o: OperationsOptions) {
    this.runs = o.runs ?? new VmRuns();
  }

  /**
   * Starts (or, when it is suspended, resumes) a VM. `suspendable` is refused with a 422 for a
   * Linux guest before tart runs: tart suspends macOS VMs only.
   */
  async start(name: string, request: StartRequest = {}): Promise<Task> {
    checkAnyVmName(name);
    this.requireTart();
    await this.requireKnown(name);
    const suspendable = request.suspendable === true;
    const withConsole = request.console === true;
    if (suspendable) await this.requireMacOs(name, "suspendable");
    // The kept run options, checked again now: a shared folder may have gone (409 before tart).
    const vmOptions = await this.keptRunOptions(name);
    const params = { name, ...(suspendable ? { suspendable } : {}), ...(withConsole ? { console: true } : {}) };
    return this.launch("start_vm", name, params, [{ name, mode: "exclusive" }], (ctx) => this.run(ctx, name, suspendable, withConsole, vmOptions));
  }

  /**
   * Stops a VM gracefully (`tart stop --timeout 30`), or with `force` at once: `tart stop
   * --timeout 0`, then SIGKILL to the VM's `tart run` if it still lives (force-stop.ts). A force
   * stop takes over from a graceful stop still running on the VM, which ends as cancelled.
   */
  async stop(name: string, request: StopRequest = {}): Promise<Task> {
    checkAnyVmName(name);
    this.requireTart();
    await this.requireKnown(name);
    if (request.force === true) return this.forceStopTask(name);
    return this.launch("stop_vm", name, { name }, [{ name, mode: "exclusive" }], async (ctx) => {
      try {
        await this.o.tart.stop(name, this.o.stopTimeoutSeconds, ctx.observer(), ctx.signal);
      } catch (error) {
        if (ctx.signal.aborted) throw new TaskCancelled("; a force stop took over");
        if (!(error instanceof TartCommandError) || error.exitCode !== EXIT_USAGE) throw error;
        ctx.log("this tart has no stop --timeout; stopping without it");
        await this.o.tart.stop(name, null, ctx.observer(), ctx.signal);
      }
      return { message: `VM ${name} stopped` };
    });
  }

  /**
   * Suspends a running macOS VM that this server started suspendable. Anything else is refused
   * before tart runs: tart would make a VM not started with `--suspendable` shut down instead.
   */
  async suspend(name: string): Promise<Task> {
    checkAnyVmName(name);
    if (isOciName(name)) throw conflict(`${name} is an OCI image: images do not run, so they cannot be suspended`);
    this.requireTart();
    await this.requireKnown(name);
    const vm = this.o.inventory.find(name)!;
    if (vm.os === "linux") throw invalid(`vm_name: only macOS VMs can be suspended, and ${name} is a Linux VM`);
    if (vm.state !== "running") throw conflict(`${name} is not running (it is ${vm.state ?? "in an unknown state"}): only a running VM can be suspended`);
    const known = this.runs.get(name);
    if (!known?.suspendable) {
      throw conflict(
        `${name} cannot be suspended: only a VM started suspendable can be, and ` +
          (known ? "this server started it without" : "this server did not start it (or was restarted since)") +
          '; stop it, then start it with {"suspendable": true}',
      );
    }
    return this.launch("suspend_vm", name, { name }, [{ name, mode: "exclusive" }], (ctx) => suspendVm(ctx, { tart: this.o.tart, name, known }));
  }

  /**
   * `tart rename NAME NEW_NAME`: a stopped local VM gets a new name, checked as a clone's target
   * (tart renames a running VM's folder from under it, so a running VM is refused).
   */
  async rename(name: string, newName: string): Promise<Task> {
    checkAnyVmName(name);
    if (isOciName(name)) throw invalid(`vm_name: ${name} is an OCI image; only local VMs can be renamed (clone it to a new name instead)`);
    checkLocalName(newName, "new_name");
    if (newName === name) throw invalid(`new_name: "${newName}" is the VM's name already`);
    if (vmKey(newName) === vmKey(name)) {
      throw invalid(`new_name: "${newName}" differs from "${name}" only in case, and VM names ignore case (it is the same folder)`);
    }
    this.requireTart();
    await this.requireKnown(name);
    const vm = this.o.inventory.find(name)!;
    if (vm.state === "running") throw conflict(`${name} is running: stop it before renaming it (tart would move its folder from under the running VM)`);
    this.requireFree(newName);
    const locks: LockRequest[] = [
      { name, mode: "exclusive" },
      { name: newName, mode: "exclusive" },
    ];
    return this.launch("rename_vm", name, { name, new_name: newName }, locks, async (ctx) => {
      await this.o.tart.rename(name, newName, ctx.observer());
      this.o.origins?.renamed(name, newName);
      this.o.runOptions?.renamed(name, newName);
      return { message: `Renamed ${name} to ${newName}`, name: newName };
    });
  }

  /** One `tart set` for what the request changes; refused before tart as vm-settings.ts says. */
  async settings(name: string, request: SettingsRequest): Promise<Task> {
    checkAnyVmName(name);
    if (isOciName(name)) throw conflict(`${name} is an OCI image: only local VMs have settings (clone it first)`);
    this.requireTart();
    await this.requireKnown(name);
    const vm = this.o.inventory.find(name)!;
    const settings = planSettings(request, await this.withOs(vm), this.o.host);
    const running = vm.state === "running";
    return this.launch("settings_vm", name, { name, ...request }, [{ name, mode: "exclusive" }], async (ctx) => {
      await this.o.tart.set(name, settings, ctx.observer());
      return { message: describeSettings(name, request, running), name };
    });
  }

  /** The force stop task: it may take over from a graceful stop that holds the VM. */
  private forceStopTask(name: string): Task {
    const graceful = (taskId: string) => {
      const task = this.o.tasks.get(taskId);
      return task?.action === "stop_vm" && task.params.force !== true;
    };
    const overtaken = this.o.locks.holdersOf(name).filter((holder) => graceful(holder.taskId)).map((holder) => holder.taskId);
    const task = this.launch("stop_vm", name, { name, force: true }, [{ name, mode: "exclusive" }], async (ctx) => {
      for (const id of overtaken) ctx.log(`taking over from the graceful stop ${id}`);
      return forceStop(ctx, { tart: this.o.tart, runs: this.runs, name, timing: this.o.forceStop });
    }, () => {}, (holder) => graceful(holder.taskId));
    // Ends the graceful stop's `tart stop` (SIGINT); its task fails as "cancelled; a force stop took over".
    for (const id of overtaken) void this.o.tasks.cancel(id, 0);
    return task;
  }

  async delete(name: string): Promise<Task> {
    checkAnyVmName(name);
    this.requireTart();
    await this.requireKnown(name);
    return this.launch("delete_vm", name, { name }, [{ name, mode: "exclusive" }], async (ctx) => {
      await this.o.tart.delete(name, ctx.observer());
      this.o.origins?.removed(name);
      this.o.runOptions?.removed(name);
      return { message: `VM ${name} deleted` };
    });
  }

  async clone(source: string, newName: string, startAfter: boolean): Promise<Task> {
    checkAnyVmName(source, "vm_name");
    checkLocalName(newName, "new_name");
    this.requireTart();
    await this.requireKnown(source);
    this.requireFree(newName);
    const locks: LockRequest[] = [
      { name: source, mode: "shared" },
      { name: newName, mode: "exclusive" },
    ];
    const params = { source, new_name: newName, start_after_clone: startAfter };
    return this.launch("clone_vm", newName, params, locks, async (ctx) => {
      await this.cloneFresh(ctx, source, newName);
      this.o.origins?.made(newName, source);
      this.o.runOptions?.removed(newName); // a clone starts with no run options (run-options-kept.ts)
      if (!startAfter) return { message: `Cloned ${source} to ${newName}`, name: newName };
      // The clone is whole; only the start is left undone.
      if (ctx.signal.aborted) throw new TaskCancelled(` before starting ${newName}; the clone ${newName} was made and is kept`);
      const started = await this.run(ctx, newName);
      return { ...started, message: `Cloned ${source} to ${newName}; ${started.message}`, name: newName };
    });
  }

  async create(request: CreateRequest): Promise<Task> {
    checkLocalName(request.name, "name");
    checkAnyVmName(request.source_vm, "source_vm");
    checkHostFits(request, this.o.host);
    this.requireTart();
    await this.requireKnownOrRemote(request.source_vm);
    const source = this.o.inventory.find(request.source_vm);
    checkDiskFits(request, typeof source?.disk_size === "number" ? source.disk_size : null);
    checkGuestMinimum(request, source?.os);
    this.requireFree(request.name);
    // An image not pulled yet is pulled by tart clone: it must fit first.
    const space = isOciName(request.source_vm) && !source ? await this.checkSpace(request.source_vm, request.force === true) : null;
    const locks: LockRequest[] = [
      { name: request.source_vm, mode: "shared" },
      { name: request.name, mode: "exclusive" },
    ];
    return this.launch("create_vm", request.name, { ...request }, locks, async (ctx) => {
      if (space) ctx.log(describeVerdict(space));
      await this.cloneFresh(ctx, request.source_vm, request.name);
      await this.configureNew(ctx, request.name, {
        ...(request.cpu != null ? { cpu: request.cpu } : {}),
        ...(request.memory != null ? { memoryMiB: gbToMiB(request.memory) } : {}),
        ...(request.disk_size != null ? { diskSizeGB: request.disk_size } : {}),
      });
      this.o.origins?.made(request.name, request.source_vm);
      this.o.runOptions?.removed(request.name);
      return {
        message: `Created ${request.name} from ${request.source_vm}`,
        name: request.name,
        cpu: request.cpu ?? null,
        memory: request.memory != null ? `${request.memory}G` : null,
        disk_size: request.disk_size != null ? `${request.disk_size}G` : null,
      };
    });
  }

  /**
   * A VM from scratch (create-from-scratch.ts): `tart create --from-ipsw …` or `--linux`, then
   * `tart set` for cores and memory. A create_vm task like a create from an image, cancellable
   * the same way; its progress is the Task's `install_progress`.
   */
  async createFromScratch(request: ScratchRequest): Promise<Task> {
    checkLocalName(request.name, "name");
    const facts = (await this.o.scratchFacts?.()) ?? { tartVersion: null, hostOs: null, isFile: () => true };
    const plan = planScratch(request, { host: this.o.host, ...facts });
    this.requireTart();
    this.requireFree(request.name);
    const { name } = request;
    return this.launch("create_vm", name, { ...request }, [{ name, mode: "exclusive" }], async (ctx) => {
      await this.requireStillFree(name);
      await makingVm(ctx, this.o.tart, name, "", () => this.o.tart.create(name, plan.create, ctx.observer(), ctx.signal));
      await this.configureNew(ctx, name, plan.settings);
      this.o.runOptions?.removed(name);
      return {
        message: plan.os === "linux" ? `Created the Linux VM ${name}` : `Created the macOS VM ${name} from the IPSW ${request.from_ipsw}`,
        name,
        os: plan.os,
        cpu: request.cpu ?? null,
        memory: request.memory != null ? `${request.memory}G` : null,
        disk_size: `${request.disk_size ?? TART_DEFAULT_DISK_GB}G`,
        disk_format: request.disk_format ?? "raw",
      };
    });
  }

  /**
   * Pulls of one reference share one task: a second request gets the running one. A pull holds
   * the reference exclusively, like any change to a VM: the image cannot be deleted or cloned
   * from while tart rewrites it.
   */
  pull(reference: string, space?: SpaceVerdict, force = false): Task {
    checkOciReference(reference, "oci_url");
    this.requireTart();
    const running = this.pulls.get(reference);
    if (running) return running;
    const forget = () => {
      if (this.pulls.get(reference) === task) this.pulls.delete(reference);
    };
    const task: Task = this.launch("pull_vm", reference, { oci_url: reference, ...(force ? { force } : {}) }, [{ name: reference, mode: "exclusive" }], async (ctx) => {
      if (space) ctx.log(describeVerdict(space));
      try {
        await pullWithRetries(ctx, this.o.pullRetry, () => this.o.tart.pull(reference, ctx.observer(), ctx.signal));
      } catch (error) {
        if (ctx.signal.aborted && !(error instanceof TaskCancelled)) throw new TaskCancelled(pullLeftBehind(error));
        throw error;
      }
      return { message: `Pulled ${reference}`, oci_url: reference };
    }, forget);
    this.pulls.set(reference, task);
    return task;
  }

  /**
   * A pull as POST /api/vms/pull asks for it: refused with a 507 before anything starts when the
   * image's disk is larger than the free space in tart's home, unless `force` (space-check.ts).
   * A pull of the reference already running is joined without asking again. An image already
   * pulled is not checked: tart only relinks it, or replaces it by one of about the same size.
   */
  async pullIfItFits(reference: string, force: boolean): Promise<Task> {
    checkOciReference(reference, "oci_url");
    this.requireTart();
    const running = this.pulls.get(reference);
    if (running) return running;
    const cached = this.o.inventory.find(reference) !== null;
    const space = cached ? ({ checked: false, reason: "the image is already pulled" } as const) : await this.checkSpace(reference, force);
    return this.pull(reference, space, force);
  }

  /**
   * Runs a failed task again with the same parameters, checked as a new request would be: the
   * stored params may predate today's rules (or have been edited on disk). `checkInput` applies
   * the original route's schema (the HTTP layer owns those); each operation then applies its
   * name rules and domain checks.
   */
  async retry(id: string, checkInput: RetryInputCheck): Promise<Task> {
    const task = this.o.tasks.get(id);
    if (!task) throw notFound(`Task ${id} not found`);
    if (task.status !== "failed") throw conflict(`Task ${id} is ${task.status}; only a failed task can be retried`);
    checkInput(task.action, task.params);
    const p = task.params as {
      name: string;
      source: string;
      new_name: string;
      start_after_clone: boolean;
      oci_url: string;
      force?: boolean;
      suspendable?: boolean;
      console?: boolean;
    };
    const retries: Record<TaskAction, () => Promise<Task> | Task> = {
      start_vm: () => this.start(p.name, { suspendable: p.suspendable === true, console: p.console === true }),
      stop_vm: () => this.stop(p.name, { force: p.force === true }),
      delete_vm: () => this.delete(p.name),
      clone_vm: () => this.clone(p.source, p.new_name, p.start_after_clone),
      create_vm: () =>
        "source_vm" in task.params ? this.create(task.params as unknown as CreateRequest) : this.createFromScratch(task.params as unknown as ScratchRequest),
      pull_vm: () => this.pullIfItFits(p.oci_url, p.force === true),
      suspend_vm: () => this.suspend(p.name),
      rename_vm: () => this.rename(p.name, p.new_name),
      settings_vm: () => {
        const { name: _name, ...request } = task.params as unknown as SettingsRequest & { name: string };
        return this.settings(p.name, request);
      },
      prune: () => this.retryOther("prune", task),
      registry_login: () => this.retryOther("registry_login", task),
      registry_logout: () => this.retryOther("registry_logout", task),
      create_cluster_vm: () => this.retryOther("create_cluster_vm", task),
      stop_cluster_vm: () => this.retryOther("stop_cluster_vm", task),
      delete_cluster_vm: () => this.retryOther("delete_cluster_vm", task),
    };
    return retries[task.action]();
  }

  private retryOther(action: keyof OtherRetries, task: Task): Promise<Task> | Task {
    const retry = this.o.otherRetries?.[action];
    if (!retry) throw conflict(`Task ${task.id} (${action}) cannot be retried by this server`);
    return retry(task);
  }

  /**
   * Cancels a running pull, clone or create and waits (a bounded while) for it to end; returns
   * the Task as it then is. Other tasks, and finished ones, are refused with a 409 that says why.
   */
  async cancel(id: string): Promise<Task> {
    const task = this.o.tasks.get(id);
    if (!task) throw notFound(`Task ${id} not found`);
    checkCancellable(task);
    await this.o.tasks.cancel(id, this.o.cancelWaitMs);
    return this.o.tasks.get(id) ?? task;
  }

  /** `tart run`, detached, until the VM has an IP (start-vm.ts). */
  private run(ctx: TaskContext, name: string, suspendable = false, withConsole = false, vmOptions: VmRunOptions | null = null): Promise<Record<string, unknown>> {
    const consoleHook = this.o.console;
    return startVm(ctx, {
      vmOptions,
      tart: this.o.tart,
      name,
      logDir: this.o.runLogDir,
      timeoutMs: this.o.startTimeoutMs,
      // The VM lives inside this process: its exit is the VM stopping, whoever stopped it.
      onExit: () => this.o.inventory.noteChanged([{ name }]),
      suspendable,
      runs: this.runs,
      ...(withConsole && consoleHook
        ? { console: { timeoutMs: consoleHook.timeoutMs, found: (endpoint: VncEndpoint, run: DetachedRun) => consoleHook.found(name, endpoint, run) } }
        : {}),
    });
  }

  /** The run options kept for a local VM, checked for this start (run-options-kept.ts). */
  private async keptRunOptions(name: string): Promise<VmRunOptions | null> {
    const vm = this.o.inventory.find(name);
    if (!this.o.runOptions || !vm || vm.kind === "oci") return null;
    return this.o.runOptions.forStart(name, (await this.withOs(vm)).os);
  }

  /** Throws a 422 on `field` unless the VM is a macOS guest (its OS read from its config if the list has none yet). */
  private async requireMacOs(name: string, field: string): Promise<void> {
    const vm = this.o.inventory.find(name);
    const os = vm ? (await this.withOs(vm)).os : null;
    if (os === "linux") throw invalid(`${field}: only macOS VMs can be suspended, and ${name} is a Linux VM`);
  }

  /** The VM with its OS: the list's, else its config's (a VM listed before its config was read). */
  private async withOs(vm: Vm): Promise<Vm> {
    if (vm.os !== null || vm.kind === "oci") return vm;
    const os = await this.o.inventory.config(vm.name, false).then((config) => config.os, () => null);
    return { ...vm, os };
  }

  /**
   * tart clone overwrites an existing target silently: look again right before cloning. Only the
   * clone itself is undone on a cancel, never a VM that was there before.
   */
  private async cloneFresh(ctx: TaskContext, source: string, target: string): Promise<void> {
    await this.requireStillFree(target);
    await makingVm(ctx, this.o.tart, target, "", () => this.o.tart.clone(source, target, ctx.observer(), ctx.signal));
  }

  /** tart clone and create overwrite a VM of that name without a word: ask tart right before. */
  private async requireStillFree(target: string): Promise<void> {
    const current = await this.o.tart.list();
    if (current.some((entry) => vmKey(entry.name) === vmKey(target))) {
      throw conflict(`A VM named "${target}" already exists`);
    }
  }

  /** `tart set` on a VM just made; on failure it is deleted, so the name is free to retry. */
  private async configureNew(ctx: TaskContext, name: string, settings: TartSettings): Promise<void> {
    if (!Object.keys(settings).length) return;
    try {
      await this.o.tart.set(name, settings, ctx.observer(), ctx.signal);
    } catch (error) {
      if (ctx.signal.aborted) await cancelledAfter(ctx, this.o.tart, name, ` while configuring ${name}`);
      // A half-configured VM is not what was asked for. The task keeps the failed `set` as its
      // command; the clean-up is only logged.
      ctx.log(`configuring ${name} failed; deleting the partly created VM`);
      await this.o.tart.delete(name, ctx.logOnlyObserver()).catch(() => ctx.log(`could not delete ${name}`));
      throw error;
    }
  }

  /**
   * Takes the locks, creates the task and runs `work` in the background; `onEnd` runs as the
   * locks are released. `overtakes`: holders this task may share the locks with (a force stop).
   */
  private launch(
    action: TaskAction,
    vmName: string,
    params: Record<string, unknown>,
    locks: LockRequest[],
    work: TaskWork,
    onEnd: () => void = () => {},
    overtakes?: (holder: Holder) => boolean,
  ): Task {
    const names = locks.map((lock) => lock.name);
    return launchTask(this.o, { action, subject: vmName, params, locks, work, settle: names, onEnd, overtakes });
  }

  private checkSpace(reference: string, force: boolean): Promise<SpaceVerdict> {
    if (!this.o.space) return Promise.resolve({ checked: false, reason: "this server does not check it" });
    return checkImageFits(this.o.space, reference, force);
  }

  private requireTart(): void {
    requireTart(this.o.tart);
  }

  /** A VM the inventory does not know may have just been made outside the app: look once more. */
  private async requireKnown(name: string): Promise<void> {
    if (this.o.inventory.find(name)) return;
    await this.o.inventory.settle([]).catch(() => {});
    if (!this.o.inventory.find(name)) throw notFound(`VM ${name} not found`);
  }

  /** An OCI source that is not pulled yet is fine: tart clone pulls it. */
  private async requireKnownOrRemote(name: string): Promise<void> {
    if (isOciName(name)) return;
    await this.requireKnown(name);
  }

  private requireFree(name: string): void {
    const taken = this.o.inventory.existingName(name);
    if (taken) throw conflict(`A VM named "${taken}" already exists; choose another name or delete it first`);
  }
}

