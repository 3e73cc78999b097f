/**
 * Runs background tasks and is the one source of truth for their state. A task is created
 * pending, runs its work function, and ends completed (with a result) or failed (with an error);
 * every change is pushed to subscribers (the websocket layer coalesces them) and persisted — at
 * once for status changes, at most once a second for log lines. Finished tasks leave memory after
 * a retention period and stay queryable from the store.
 */
import { AppError } from "./errors.ts";
import { LogRing } from "./log-ring.ts";
import type { CommandObserver, CommandOutcome, OutputStream } from "./ports.ts";
import { PullProgressTracker } from "./pull-progress.ts";
import { InstallProgressTracker } from "./install-progress.ts";
import { StoreFailureLatch } from "./store-failure-latch.ts";
import { TaskLogWriter } from "./task-log-writer.ts";
import { cleanLine, progressOf } from "./text.ts";
import { isFinished, isTaskId, nowSeconds, type Task, type TaskAction } from "./task.ts";

export interface TaskPersistence {
  save(task: Task): void;
  get(id: string): Task | null;
  list(limit: number, before: number): Task[];
}

export interface TaskManagerOptions {
  store: TaskPersistence;
  logDir: string;
  logCapacity: number;
  retentionMs: number;
  warn: (message: string) => void;
}

/** What a task's work function uses to report. */
export interface TaskContext {
  readonly task: Task;
  log(line: string, stream?: OutputStream): void;
  /** An observer that logs a tart command and records it as the task's command (argv, exit code, stderr). */
  observer(): CommandObserver;
  /**
   * An observer that only logs a command: for a clean-up after a failed step, so the task keeps
   * the command, exit code and stderr of the step that failed.
   */
  logOnlyObserver(): CommandObserver;
  /** Aborted when the task is cancelled: hand it to every tart command the task runs. */
  readonly signal: AbortSignal;
  /** The retry loop's marks on `pull_progress`; tart's own lines update the rest. */
  readonly pull: {
    /** This attempt failed; attempt `nextAttempt` starts at `retryAtSeconds` (epoch seconds). */
    retrying(nextAttempt: number, retryAtSeconds: number): void;
    /** Attempt `attempt` starts now. */
    restart(attempt: number): void;
  };
}

export type TaskListener = (task: Task) => void;
export type TaskWork = (context: TaskContext) => Promise<Record<string, unknown>>;

const PERSIST_INTERVAL_MS = 1000;
const STDERR_MARK = "[stderr] ";

export class TaskManager {
  private readonly live = new Map<string, Task>();
  /** Tasks whose work is under way: how to cancel each, and when it has ended. */
  private readonly working = new Map<string, { controller: AbortController; ended: Promise<void> }>();
  private readonly listeners = new Map<string, Set<TaskListener>>();
  private readonly everyTaskListeners = new Set<TaskListener>();
  private readonly dirtyForStore = new Set<string>();
  private persistTimer: Timer | null = null;
  private readonly storeLatch: StoreFailureLatch;
  private readonly logFiles: TaskLogWriter;

  constructor(private readonly options: TaskManagerOptions) {
    this.storeLatch = new StoreFailureLatch(options.warn);
    this.logFiles = new TaskLogWriter(options.logDir, (message) => this.storeLatch.fail(message));
  }

  create(action: TaskAction, vmName: string | null, params: Record<string, unknown>, id: string = crypto.randomUUID()): Task {
    const now = nowSeconds();
    const task: Task = {
      id,
      action,
      status: "pending",
      vm_name: vmName,
      command: null,
      exit_code: null,
      result: null,
      error: null,
      stderr: null,
      progress: null,
      pull_progress: null,
      created_at: now,
      updated_at: now,
      logs: new LogRing(this.options.logCapacity),
      params,
    };
    this.live.set(task.id, task);
    this.persistNow(task);
    for (const listener of this.everyTaskListeners) listener(task);
    return task;
  }

  /** Starts the work in the background; the returned promise settles when the task has ended. */
  run(task: Task, work: TaskWork): Promise<void> {
    const controller = new AbortController();
    const context = this.contextFor(task, controller.signal);
    const ended = (async () => {
      await Promise.resolve(); // let the request that created the task answer first
      this.update(task, { status: "running" }, true);
      try {
        const result = await work(context);
        this.update(task, { status: "completed", result }, true);
      } catch (error) {
        const message = error instanceof AppError ? error.detail : `internal error: ${(error as Error)?.message ?? error}`;
        if (!(error instanceof AppError)) this.options.warn(`task ${task.id} (${task.action}) crashed: ${(error as Error)?.stack ?? error}`);
        this.update(task, { status: "failed", error: message }, true);
      } finally {
        this.working.delete(task.id);
        this.flushLogs();
        this.scheduleEviction(task);
      }
    })();
    this.working.set(task.id, { controller, ended });
    return ended;
  }

  /**
   * Aborts the task's signal (its work decides what that means and how it ends) and waits until
   * the task has ended, or `waitMs` has passed; false when the task was not running here.
   */
  async cancel(id: string, waitMs: number): Promise<boolean> {
    const working = this.working.get(id);
    if (!working) return false;
    if (!working.controller.signal.aborted) this.note(id, "cancel requested");
    working.controller.abort();
    let timer: Timer | undefined;
    await Promise.race([working.ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    return true;
  }

  /** The task, from memory or the store; null for an unknown or malformed id. */
  get(id: string): Task | null {
    if (!isTaskId(id)) return null;
    return this.live.get(id) ?? this.safeStore(() => this.options.store.get(id), null);
  }

  active(): Task[] {
    return [...this.live.values()].filter((task) => !isFinished(task)).sort((a, b) => a.created_at - b.created_at);
  }

  /** History, newest first: live tasks merged over the store (live ones may be ahead of it). */
  history(limit: number, before: number): Task[] {
    const stored = this.safeStore(() => this.options.store.list(limit, before), []);
    const merged = new Map(stored.map((task) => [task.id, task]));
    for (const task of this.live.values()) if (task.created_at < before) merged.set(task.id, task);
    return [...merged.values()].sort((a, b) => b.created_at - a.created_at).slice(0, limit);
  }

  subscribe(id: string, listener: TaskListener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0) this.listeners.delete(id);
    };
  }

  /** Told of every task's creation and of every change to any task (the event stream). */
  onAnyChange(listener: TaskListener): () => void {
    this.everyTaskListeners.add(listener);
    return () => this.everyTaskListeners.delete(listener);
  }

  logPath(id: string): string {
    return this.logFiles.path(id);
  }

  /** A line of the server's own in a live task's log. */
  private note(id: string, line: string): void {
    const task = this.live.get(id);
    if (!task) return;
    task.logs.push(line);
    this.logFiles.append(task.id, line);
    this.update(task, {}, false);
  }

  /** Shutdown: every unfinished task is recorded as failed with `reason`, and its clients told. */
  interruptAll(reason: string): void {
    for (const task of this.active()) this.update(task, { status: "failed", error: reason }, true);
  }

  /** Writes everything still buffered (on shutdown). */
  flushAll(): void {
    this.flushLogs();
    for (const id of this.dirtyForStore) {
      const task = this.live.get(id);
      if (task) this.persistNow(task);
    }
    this.dirtyForStore.clear();
  }

  private contextFor(task: Task, signal: AbortSignal): TaskContext {
    const pull = new PullProgressTracker();
    const install = new InstallProgressTracker();
    const showPull = (changed: boolean) => {
      if (changed) this.update(task, { pull_progress: pull.state }, false);
    };
    const log = (raw: string, stream: OutputStream = "stdout") => {
      const line = cleanLine(raw);
      if (!line.trim()) return;
      const stored = stream === "stderr" ? STDERR_MARK + line : line;
      task.logs.push(stored);
      this.logFiles.append(task.id, stored);
      const changes: Partial<Task> = {};
      if (stream === "stdout") {
        const progress = progressOf(line);
        if (progress !== null) changes.progress = progress;
        if (pull.line(line, Date.now())) changes.pull_progress = pull.state;
        // An IPSW install prints two runs of 0…100%: the Task's progress is the whole job's.
        if (install.line(line)) {
          changes.install_progress = install.state;
          changes.progress = install.overall() ?? changes.progress ?? task.progress;
        }
      }
      this.update(task, changes, false);
    };
    const logCommand = (argv: string[]) => log(`$ ${argv.map((part, i) => (i === 0 ? "tart" : quote(part))).join(" ")}`);
    return {
      task,
      log,
      signal,
      pull: {
        retrying: (nextAttempt, retryAtSeconds) => showPull(pull.retrying(nextAttempt, retryAtSeconds)),
        restart: (attempt) => showPull(pull.restart(attempt)),
      },
      observer: () => ({
        onStart: (argv) => {
          this.update(task, { command: argv, exit_code: null }, false);
          logCommand(argv);
        },
        onLine: (line, stream) => log(line, stream),
        onEnd: (outcome) => {
          // A pull that succeeded is done, whatever its last line was.
          if (outcome.exitCode === 0) showPull(pull.done());
          if (outcome.exitCode === 0 && install.done()) this.update(task, { install_progress: install.state, progress: 100 }, false);
          this.recordOutcome(task, outcome);
        },
      }),
      logOnlyObserver: () => ({
        onStart: logCommand,
        onLine: (line, stream) => log(line, stream),
      }),
    };
  }

  /** A finished command's exit code, and its stderr when it printed any. */
  private recordOutcome(task: Task, outcome: Pick<CommandOutcome, "exitCode" | "stderr">): void {
    const stderr = outcome.stderr.trim() ? cleanStderr(outcome.stderr) : task.stderr;
    this.update(task, { exit_code: outcome.exitCode, stderr }, false);
  }

  private update(task: Task, changes: Partial<Task>, important: boolean): void {
    Object.assign(task, changes);
    task.updated_at = nowSeconds();
    if (important) this.persistNow(task);
    else this.persistSoon(task);
    for (const listener of this.listeners.get(task.id) ?? []) listener(task);
    for (const listener of this.everyTaskListeners) listener(task);
  }

  private persistNow(task: Task): void {
    this.dirtyForStore.delete(task.id);
    this.safeStore(() => this.options.store.save(task), undefined);
  }

  private persistSoon(task: Task): void {
    this.dirtyForStore.add(task.id);
    this.persistTimer ??= setTimeout(() => {
      this.persistTimer = null;
      for (const id of this.dirtyForStore) {
        const dirty = this.live.get(id);
        if (dirty) this.safeStore(() => this.options.store.save(dirty), undefined);
      }
      this.dirtyForStore.clear();
    }, PERSIST_INTERVAL_MS);
  }

  /** Writes buffered log lines to the tasks' log files now. */
  flushLogs(): void {
    this.logFiles.flush();
  }

  private scheduleEviction(task: Task): void {
    setTimeout(() => {
      if (isFinished(task)) this.live.delete(task.id);
    }, this.options.retentionMs).unref();
  }

  private safeStore<T>(action: () => T, fallback: T): T {
    return this.storeLatch.attempt(action, fallback);
  }
}

function quote(part: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`;
}

function cleanStderr(stderr: string): string {
  return stderr.split("\n").map(cleanLine).join("\n").trim();
}
