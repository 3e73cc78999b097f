/**
 * The fake controller's store and its simulated workers. What a real Orchard spreads over the
 * controller's scheduler and each worker's VM manager happens here, one step at a time
 * (spec orchard.md §5): a new VM is `pending` with `scheduled=false`; the scheduler puts it on an
 * online, unpaused worker whose resources (`org.cirruslabs.tart-vms`, …) and labels fit; the worker
 * reports "cloning VM...", "configuring VM...", then `running` with "VM started" (or "VM started,
 * running startup script..." and the script's lines as `log_line` events). An image the workers
 * cannot get fails as tart clone does; a worker that stops reporting fails its VMs once the
 * offline timeout passes; `OnFailure` VMs come back as pending after the restart delay.
 * A stop (`powerState: stopped`, generation + 1) makes the worker stop the VM and observe it.
 */
import { goTime, ZERO_TIME, type OrchardEvent, type VmRecord, type WorkerRecord } from "./model.ts";

export interface ClusterTimings {
  /** Between two steps of a worker (scheduling, cloning, configuring, each script line). */
  stepMs: number;
  /** A worker whose last_seen is older is offline (Orchard: --worker-offline-timeout, 3 m). */
  offlineTimeoutMs: number;
  /** How often a live worker updates last_seen. */
  heartbeatMs: number;
  /** Orchard's schedulerVMRestartDelay (15 s). */
  restartDelayMs: number;
}

export type WatchMessage = { type: "ADDED" | "MODIFIED" | "DELETED"; vm: VmRecord | null };
type Watcher = (message: WatchMessage) => void;

export const TART_VMS = "org.cirruslabs.tart-vms";
const CORES = "org.cirruslabs.logical-cores";
const MEMORY = "org.cirruslabs.memory-mib";

export class FakeCluster {
  readonly vms = new Map<string, VmRecord>();
  readonly workers = new Map<string, WorkerRecord>();
  /** Workers that no longer report (their last_seen ages). */
  readonly silent = new Set<string>();
  /** Events by VM uid. */
  readonly events = new Map<string, OrchardEvent[]>();
  /** Images the workers' tart cannot clone (a registry that does not have them). */
  readonly missingImages = new Set<string>();
  /** VMs whose SSH login the controller's exec cannot complete (exec answers 503). */
  readonly sshRefused = new Set<string>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly steps = new Map<string, Timer>();
  private version = 100;
  private readonly ticker: Timer;

  constructor(readonly timings: ClusterTimings) {
    this.ticker = setInterval(() => this.tick(), Math.min(timings.stepMs, timings.heartbeatMs));
  }

  stop(): void {
    clearInterval(this.ticker);
    for (const timer of this.steps.values()) clearTimeout(timer);
  }

  addWorker(name: string, options: Partial<Pick<WorkerRecord, "labels" | "resources" | "defaultCPU" | "defaultMemory">> = {}): WorkerRecord {
    const now = goTime();
    const worker: WorkerRecord = {
      last_seen: now,
      machine_id: crypto.randomUUID().toUpperCase(),
      resources: { [CORES]: 10, [MEMORY]: 32768, [TART_VMS]: 2, ...options.resources },
      labels: options.labels,
      defaultCPU: options.defaultCPU ?? 4,
      defaultMemory: options.defaultMemory ?? 8192,
      arch: "arm64",
      runtime: "tart",
      name,
      createdAt: now,
    };
    this.workers.set(name, worker);
    return worker;
  }

  insert(vm: VmRecord): void {
    vm.version = ++this.version;
    this.vms.set(vm.name, vm);
    this.events.set(vm.uid, []);
    this.notify(vm.name, { type: "ADDED", vm });
  }

  /** Stores a change and tells the VM's watchers (Badger bumps the item version on every write). */
  save(vm: VmRecord): void {
    vm.version = ++this.version;
    this.notify(vm.name, { type: "MODIFIED", vm });
  }

  remove(name: string): boolean {
    const vm = this.vms.get(name);
    if (!vm) return false;
    this.vms.delete(name);
    this.events.delete(vm.uid);
    clearTimeout(this.steps.get(name));
    this.steps.delete(name);
    this.notify(name, { type: "DELETED", vm: null });
    return true;
  }

  appendEvents(vm: VmRecord, events: OrchardEvent[]): void {
    this.events.get(vm.uid)?.push(...events);
  }

  watch(name: string, watcher: Watcher): () => void {
    let set = this.watchers.get(name);
    if (!set) this.watchers.set(name, (set = new Set()));
    set.add(watcher);
    return () => set!.delete(watcher);
  }

  /** A worker failure, as the worker reports it (e.g. "failed to clone the VM: …"). */
  fail(vm: VmRecord, message: string): void {
    clearTimeout(this.steps.get(vm.name));
    this.steps.delete(vm.name);
    vm.status = "failed";
    vm.status_message = message;
    this.setCondition(vm, "running", "false");
    this.save(vm);
  }

  isOnline(worker: WorkerRecord): boolean {
    return Date.now() - Date.parse(worker.last_seen) <= this.timings.offlineTimeoutMs;
  }

  private notify(name: string, message: WatchMessage): void {
    for (const watcher of this.watchers.get(name) ?? []) watcher(message);
  }

  private tick(): void {
    const now = Date.now();
    for (const worker of this.workers.values()) {
      if (!this.silent.has(worker.name) && now - Date.parse(worker.last_seen) >= this.timings.heartbeatMs) worker.last_seen = goTime(now);
    }
    for (const vm of this.vms.values()) this.schedule(vm);
  }

  /** The scheduler's pass over one VM (scheduler.go: health check, restart, placement). */
  private schedule(vm: VmRecord): void {
    if (vm.worker && vm.status !== "failed") {
      const worker = this.workers.get(vm.worker);
      if (!worker) return this.fail(vm, "VM is assigned to a worker that doesn't exist anymore");
      if (!this.isOnline(worker)) return this.fail(vm, "VM is assigned to a worker that lost connection with the controller");
    }
    if (vm.status === "failed" && vm.restart_policy === "OnFailure" && !this.steps.has(vm.name)) {
      this.later(vm, this.timings.restartDelayMs, () => this.restart(vm));
      return;
    }
    if (vm.status !== "pending" || vm.worker) return;
    const worker = this.placement(vm);
    if (!worker) return;
    vm.worker = worker.name;
    vm.scheduled_at = goTime();
    vm.assignedCPU = vm.cpu || worker.defaultCPU || 4;
    vm.assignedMemory = vm.memory || worker.defaultMemory || 8192;
    this.setCondition(vm, "scheduled", "true");
    this.save(vm);
    this.later(vm, this.timings.stepMs, () => this.clone(vm));
  }

  private placement(vm: VmRecord): WorkerRecord | null {
    for (const worker of [...this.workers.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      if (worker.scheduling_paused || !this.isOnline(worker)) continue;
      if (!Object.entries(vm.labels ?? {}).every(([key, value]) => worker.labels?.[key] === value)) continue;
      const used: Record<string, number> = {};
      for (const other of this.vms.values()) {
        // A failed VM and a stopped one have given their resources back.
        if (other.worker !== worker.name || other.status === "failed" || other.powerState === "stopped") continue;
        for (const [key, amount] of Object.entries(other.resources ?? {})) used[key] = (used[key] ?? 0) + amount;
      }
      const fits = Object.entries(vm.resources ?? {}).every(([key, amount]) => (worker.resources[key] ?? 0) - (used[key] ?? 0) >= amount);
      if (fits) return worker;
    }
    return null;
  }

  private clone(vm: VmRecord): void {
    if (vm.imagePullPolicy === "Always") vm.status_message = "pulling VM image...";
    else vm.status_message = "cloning VM...";
    this.setCondition(vm, "cloning", "true");
    this.save(vm);
    this.later(vm, this.timings.stepMs, () => {
      this.removeCondition(vm, "cloning");
      if (this.missingImages.has(vm.image)) {
        const verb = vm.imagePullPolicy === "Always" ? "pull" : "clone";
        return this.fail(vm, `failed to ${verb} the VM: tart ${verb} failed: exit status 1: Error: ${vm.image} not found`);
      }
      vm.status_message = "configuring VM...";
      this.save(vm);
      this.later(vm, this.timings.stepMs, () => this.boot(vm));
    });
  }

  private boot(vm: VmRecord): void {
    vm.status = "running";
    vm.started_at = goTime();
    vm.image_fqn = `${vm.image.replace(/:[^/:]+$/, "")}@sha256:${sha256(vm.image)}`;
    this.setCondition(vm, "running", "true");
    const lines = vm.startup_script?.script_content ? vm.startup_script.script_content.split("\n").filter((line) => line !== "") : [];
    vm.status_message = lines.length ? "VM started, running startup script..." : "VM started";
    this.save(vm);
    const next = (index: number) => {
      if (index >= lines.length) return;
      this.appendEvents(vm, [{ kind: "log_line", timestamp: Math.floor(Date.now() / 1000), payload: lines[index]! }]);
      this.later(vm, this.timings.stepMs, () => next(index + 1));
    };
    next(0);
  }

  /** The worker sees a new generation whose powerState is stopped: it stops the VM (tart.go Stop). */
  specChanged(vm: VmRecord): void {
    if (vm.powerState === "running" || vm.status !== "running") return;
    vm.status_message = "Stopping VM";
    this.setCondition(vm, "stopping", "true");
    this.save(vm);
    this.later(vm, this.timings.stepMs, () => {
      this.removeCondition(vm, "stopping");
      this.setCondition(vm, "running", "false");
      vm.observedGeneration = vm.generation;
      this.save(vm);
    });
  }

  private restart(vm: VmRecord): void {
    vm.restart_count = (vm.restart_count ?? 0) + 1;
    vm.restarted_at = goTime();
    vm.status = "pending";
    vm.status_message = undefined;
    vm.worker = undefined;
    vm.scheduled_at = ZERO_TIME;
    vm.started_at = ZERO_TIME;
    vm.localName = `orchard-${vm.name}-${vm.uid}-${vm.restart_count}`;
    vm.conditions = [{ type: "scheduled", state: "false" }];
    this.save(vm);
  }

  private later(vm: VmRecord, ms: number, step: () => void): void {
    clearTimeout(this.steps.get(vm.name));
    this.steps.set(
      vm.name,
      setTimeout(() => {
        this.steps.delete(vm.name);
        if (this.vms.get(vm.name) === vm) step();
      }, ms),
    );
  }

  private setCondition(vm: VmRecord, type: VmRecord["conditions"][number]["type"], state: "true" | "false"): void {
    const existing = vm.conditions.find((condition) => condition.type === type);
    if (existing) existing.state = state;
    else vm.conditions.push({ type, state });
  }

  private removeCondition(vm: VmRecord, type: string): void {
    vm.conditions = vm.conditions.filter((condition) => condition.type !== type);
  }
}

function sha256(text: string): string {
  return new Bun.CryptoHasher("sha256").update(text).digest("hex");
}
