/**
 * The domain objects wired the way bootstrap wires them, over the in-memory tart and an
 * in-memory task store: what the domain tests build on.
 */
import { createClusters } from "../../src/orchard/clusters.ts";
import { Autostart } from "../../src/domain/autostart.ts";
import type { ConsoleDeps } from "../../src/http/routes/console.ts";
import { ConsoleEndpoints } from "../../src/console/console-endpoints.ts";
import { ConsoleTickets } from "../../src/console/console-tickets.ts";
import { VmConsoles } from "../../src/console/vm-consoles.ts";
import { VmShells } from "../../src/console/vm-shells.ts";
import { ScreenSharingCredentials } from "../../src/console/screen-sharing-credentials.ts";
import { ConsoleProxy } from "../../src/ws/console-proxy.ts";
import { LocalConsoleSource } from "../../src/console/local-console-source.ts";
import { ClusterConsoles } from "../../src/orchard/cluster-consoles.ts";
import { ClusterShells } from "../../src/orchard/cluster-shells.ts";
import type { ClusterDirectory } from "../../src/orchard/cluster-directory.ts";
import { ShellStreams } from "../../src/ws/shell-stream.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskManager, type TaskPersistence } from "../../src/domain/task-manager.ts";
import type { Task } from "../../src/domain/task.ts";
import { VmInventory } from "../../src/domain/vm-inventory.ts";
import { VmLocks } from "../../src/domain/vm-locks.ts";
import { VmRuns } from "../../src/domain/vm-runs.ts";
import { VmOperations, type OperationsOptions } from "../../src/domain/vm-operations.ts";
import { MemoryTart } from "../support/memory-tart.ts";
import { HostReport } from "../../src/domain/host-report.ts";
import type { PrunableEntry, PruneEntries, TartHomeUsage } from "../../src/domain/ports.ts";
import { TartPrune } from "../../src/domain/prune.ts";
import { RegistryLogins, type RegistryLogin } from "../../src/domain/registry-logins.ts";
import { TartStatusProbe } from "../../src/domain/tart-status.ts";
import { AddedRepositories } from "../../src/domain/added-repositories.ts";
import type { AppDeps } from "../../src/http/app.ts";
import type { RequestGuard } from "../../src/http/guard.ts";
import { EventLog } from "../../src/events/event-log.ts";
import { GithubTokenSetting } from "../../src/storage/github-token.ts";
import { SecretFile } from "../../src/storage/secret-file.ts";
import { EventStreams } from "../../src/ws/event-stream.ts";
import { TaskStreams } from "../../src/ws/task-stream.ts";

/** Tart's home as a list the test fills: what a prune or GET /api/host would measure. */
export class MemoryUsage implements TartHomeUsage {
  readonly home = "/memory/tart-home";
  readonly items: PrunableEntry[] = [];
  entries(entries: PruneEntries): PrunableEntry[] {
    return this.items.filter((e) => (entries === "caches" ? e.kind !== "vm" : e.kind === "vm"));
  }
  volume() {
    return { free_bytes: 100e9, total_bytes: 500e9 };
  }
}

// One scratch folder for every task log these tests write (log files are per task id).
const LOG_DIR = mkdtempSync(join(tmpdir(), "taartenfabriek-domain-"));

export class MemoryStore implements TaskPersistence {
  readonly saved = new Map<string, Task>();
  save(task: Task): void {
    this.saved.set(task.id, task);
  }
  get(id: string): Task | null {
    return this.saved.get(id) ?? null;
  }
  list(limit: number, before: number): Task[] {
    return [...this.saved.values()].filter((t) => t.created_at < before).sort((a, b) => b.created_at - a.created_at).slice(0, limit);
  }
}

export function domain(tart = new MemoryTart(), host = { cpu_cores: 8, memory_gb: 32 }, options: Partial<OperationsOptions> = {}) {
  const warnings: string[] = [];
  const store = new MemoryStore();
  const locks = new VmLocks();
  const tasks = new TaskManager({
    store,
    logDir: LOG_DIR,
    logCapacity: 100,
    retentionMs: 60_000,
    warn: (message) => warnings.push(message),
  });
  const runs = new VmRuns();
  const inventory = new VmInventory({ tart, busy: locks, runs, ipConcurrency: 8, configConcurrency: 2 });
  const operations = new VmOperations({
    tart,
    tasks,
    locks,
    inventory,
    host,
    runLogDir: tmpdir(),
    startTimeoutMs: 2000,
    stopTimeoutSeconds: 30,
    pullRetry: { retries: 2, firstDelayMs: 5 },
    cancelWaitMs: 1000,
    runs,
    ...options,
  });
  const requireTart = () => {};
  const usage = new MemoryUsage();
  const saved: RegistryLogin[][] = [];
  const registries = new RegistryLogins({ tasks, locks, inventory, tart, requireTart, store: { load: () => [], save: (list) => void saved.push(list) } });
  const prune = new TartPrune({ tasks, locks, inventory, tart, usage, requireTart });
  const hostReport = new HostReport({
    size: host,
    os: async () => ({ name: "linux", version: "6.1", source: "os.release" }),
    tartStatus: new TartStatusProbe(tart, "memory"),
    inventory,
    usage,
  });
  return { tart, store, locks, tasks, inventory, operations, warnings, runs, usage, registries, savedRegistries: saved, prune, hostReport };
}

/** Waits until the task has ended. */
export async function ended(tasks: TaskManager, id: string): Promise<Task> {
  for (let i = 0; i < 500; i++) {
    const task = tasks.get(id)!;
    if (task.status === "completed" || task.status === "failed") return task;
    await Bun.sleep(2);
  }
  throw new Error(`task ${id} did not end`);
}

/**
 * createApp's dependencies over a domain(): the guard stubbed (guard.test.ts covers it over HTTP),
 * no catalogue, GitHub or stored settings. For the in-process route tests.
 */
export function appDepsOver(d: ReturnType<typeof domain>, host: { cpu_cores: number; memory_gb: number }): AppDeps {
  const clusters = createClusters({ env: {}, store: { load: () => [], save() {} }, tasks: d.tasks, userAgent: "test", callTimeoutMs: 1000, warn: () => {} });
  return {
    version: "test",
    host,
    dataDir: "/nonexistent",
    guard: { check() {} } as unknown as RequestGuard,
    inventory: d.inventory,
    operations: d.operations,
    tasks: d.tasks,
    tartStatus: new TartStatusProbe(d.tart, "memory"),
    catalogue: { list: async () => [] },
    github: { check: async () => {} },
    githubToken: new GithubTokenSetting(new SecretFile("/nonexistent/github-token"), undefined),
    repositories: new AddedRepositories({ store: { load: () => [], save() {} }, registry: { tags: async () => [] }, builtIn: [] }),
    hostReport: d.hostReport,
    prune: d.prune,
    registries: d.registries,
    clusters,
    autostart: new Autostart({ store: { load: () => [], save() {} }, find: (name) => d.inventory.find(name), start: (name) => d.operations.start(name), log: () => {} }),
    streams: new TaskStreams(d.tasks),
    events: new EventStreams(new EventLog()),
    console: consoleDepsOver(d, clusters.directory),
    uiFiles: null,
    log: () => {},
  };
}

/** The console and shell routes over the same domain: nothing started with a console, no tart to exec. */
function consoleDepsOver(d: ReturnType<typeof domain>, directory: ClusterDirectory): ConsoleDeps {
  const tickets = new ConsoleTickets();
  const find = (name: string) => d.inventory.find(name);
  const consoles = new VmConsoles({
    endpoints: new ConsoleEndpoints(new SecretFile("/nonexistent/consoles.json"), () => {}),
    tickets,
    find,
    credentials: new ScreenSharingCredentials(new SecretFile("/nonexistent/screen-sharing-logins.json")),
  });
  const shells = new VmShells({ tickets, find, tartPath: () => null, env: {} });
  const clusterConsoles = new ClusterConsoles({ directory, tickets });
  const clusterShells = new ClusterShells({ directory, tickets });
  return {
    consoles,
    shells,
    proxy: new ConsoleProxy(new LocalConsoleSource(consoles), () => {}),
    shellStreams: new ShellStreams(shells),
    cluster: { consoles: clusterConsoles, proxy: new ConsoleProxy(clusterConsoles, () => {}), shells: clusterShells, shellStreams: new ShellStreams(clusterShells) },
  };
}
