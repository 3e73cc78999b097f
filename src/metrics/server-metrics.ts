/**
 * What GET /metrics shows, in Prometheus's text format (prom-client writes it): the VMs by kind
 * and state and the tasks under way, read from the inventory and the task manager at each scrape;
 * the finished tasks by action and outcome with their durations, counted as they finish; and each
 * tart command by verb and outcome with its latency, told by the tart adapter (tart-cli.ts).
 *
 * A registry of its own, not prom-client's global one: two servers in one process (the tests)
 * keep separate counts, and nothing else can register into this one.
 */
import { Counter, Gauge, Histogram, Registry } from "./prom-client-parts.ts";
import type { TartCallOutcome } from "../adapters/tart/tart-cli.ts";
import { isFinished, type Task } from "../domain/task.ts";
import type { Vm } from "../domain/vm.ts";

const PREFIX = "taartenfabriek_";
// tart calls: `tart list` and `tart ip` take tens of milliseconds; a clone or pull takes minutes.
const TART_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
// Tasks: a stop takes seconds, a start up to a minute, a pull of a macOS image can take an hour.
const TASK_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200];

export interface MetricSources {
  vms: () => Vm[];
  activeTasks: () => Task[];
  /** Told of every task's creation and change (TaskManager.onAnyChange). */
  onTaskChange: (listener: (task: Task) => void) => () => void;
}

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly tartCalls: Counter<"verb" | "outcome">;
  private readonly tartSeconds: Histogram<"verb">;
  private readonly tasksFinished: Counter<"action" | "status">;
  private readonly taskSeconds: Histogram<"action" | "status">;
  /** Tasks seen unfinished: each is counted once, when it is first seen finished. */
  private readonly unfinished = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    new Gauge({
      name: `${PREFIX}vms`,
      help: "VMs and OCI images in the inventory, by kind (local, oci) and tart's state",
      labelNames: ["kind", "state"] as const,
      registers,
      collect() {
        this.reset();
        for (const vm of sources.vms()) this.inc({ kind: vm.kind, state: vm.state ?? "unknown" });
      },
    });
    new Gauge({
      name: `${PREFIX}tasks_active`,
      help: "Tasks pending or running, by action",
      labelNames: ["action"] as const,
      registers,
      collect() {
        this.reset();
        for (const task of sources.activeTasks()) this.inc({ action: task.action });
      },
    });
    this.tasksFinished = new Counter({
      name: `${PREFIX}tasks_finished_total`,
      help: "Tasks that ended since the server started, by action and status (completed, failed)",
      labelNames: ["action", "status"] as const,
      registers,
    });
    this.taskSeconds = new Histogram({
      name: `${PREFIX}task_duration_seconds`,
      help: "How long tasks took from creation to their end, by action and status",
      labelNames: ["action", "status"] as const,
      buckets: TASK_BUCKETS,
      registers,
    });
    this.tartCalls = new Counter({
      name: `${PREFIX}tart_calls_total`,
      help: "tart commands run, by verb and outcome (ok, failed, timeout, cancelled, unavailable)",
      labelNames: ["verb", "outcome"] as const,
      registers,
    });
    this.tartSeconds = new Histogram({
      name: `${PREFIX}tart_call_duration_seconds`,
      help: "How long tart commands took, by verb (a detached `tart run` is counted, not timed)",
      labelNames: ["verb"] as const,
      buckets: TART_BUCKETS,
      registers,
    });
    this.unsubscribe = sources.onTaskChange((task) => this.taskChanged(task));
  }

  /** One tart command ended (seconds null: not waited for, the detached `tart run`). */
  tartCall(verb: string, outcome: TartCallOutcome, seconds: number | null): void {
    this.tartCalls.inc({ verb, outcome });
    if (seconds !== null) this.tartSeconds.observe({ verb }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  stop(): void {
    this.unsubscribe();
  }

  private taskChanged(task: Task): void {
    if (!isFinished(task)) {
      this.unfinished.add(task.id);
      return;
    }
    if (!this.unfinished.delete(task.id)) return; // already counted, or never seen running
    const labels = { action: task.action, status: task.status };
    this.tasksFinished.inc(labels);
    this.taskSeconds.observe(labels, Math.max(0, task.updated_at - task.created_at));
  }
}
