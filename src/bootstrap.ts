/**
 * The composition root: builds every long-lived object once, from the Config, and wires them
 * together. Nothing else in src/ constructs adapters or stores (the domain tests wire the domain
 * classes the same way over an in-memory tart, test/domain/fixtures.ts).
 */
import { TartCli } from "./adapters/tart/tart-cli.ts";
import { TartLocator } from "./adapters/tart/locate-tart.ts";
import { TartHomeWatcher } from "./adapters/tart/home-watcher.ts";
import { freeBytesAt, tartHomeOf } from "./adapters/host/free-space.ts";
import { readHostOs } from "./adapters/host/os-version.ts";
import { TartHomeFiles } from "./adapters/host/tart-home-usage.ts";
import { HostReport } from "./domain/host-report.ts";
import { TartPrune, type PruneRequest } from "./domain/prune.ts";
import { RegistryLogins } from "./domain/registry-logins.ts";
import { RegistryListFile } from "./storage/registry-list.ts";
import { RunOptionsFile } from "./storage/run-options-file.ts";
import { KeptRunOptions } from "./domain/run-options-kept.ts";
import { HostInterfaces } from "./adapters/host/network-interfaces.ts";
import { statSync } from "node:fs";
import { requireTart } from "./domain/errors.ts";
import { ImageDiskSizes } from "./adapters/catalogue/image-disk-size.ts";
import { GithubCatalogue } from "./adapters/catalogue/github-catalogue.ts";
import { OciRegistry, registryBaseUrl } from "./adapters/catalogue/oci-registry.ts";
import { addedRepository, curatedRepositories, RegistryCatalogue } from "./adapters/catalogue/registry-catalogue.ts";
import { AddedRepositories } from "./domain/added-repositories.ts";
import { ImageCatalogue } from "./domain/image-catalogue.ts";
import { VmOrigins } from "./domain/vm-origins.ts";
import { VmRuns } from "./domain/vm-runs.ts";
import type { Config } from "./config.ts";
import { TaskManager } from "./domain/task-manager.ts";
import { TartStatusProbe, type TartStatus } from "./domain/tart-status.ts";
import { VmInventory } from "./domain/vm-inventory.ts";
import { VmLocks } from "./domain/vm-locks.ts";
import { VmOperations } from "./domain/vm-operations.ts";
import { readHostFacts } from "./adapters/host/host-facts.ts";
import { createApp } from "./http/app.ts";
import { RequestGuard } from "./http/guard.ts";
import { loadOrCreateToken } from "./storage/api-token.ts";
import { layoutOf, prepareDataDir } from "./storage/data-dir.ts";
import { RepositoryListFile, VmOriginsFile } from "./storage/catalogue-settings.ts";
import { GithubTokenSetting } from "./storage/github-token.ts";
import { SecretFile } from "./storage/secret-file.ts";
import { TaskStore } from "./storage/task-store.ts";
import { ConfigMemoryFile } from "./storage/config-memory.ts";
import { AutostartFile } from "./storage/autostart-file.ts";
import { Autostart } from "./domain/autostart.ts";
import { loadUiFiles } from "./ui-bundle.ts";
import { VERSION } from "./version.ts";
import { TaskStreams } from "./ws/task-stream.ts";
import { EventStreams } from "./ws/event-stream.ts";
import { EventLog } from "./events/event-log.ts";
import { HealthFeed } from "./events/health-feed.ts";
import { TaskFeed } from "./events/task-feed.ts";
import { VmFeed } from "./events/vm-feed.ts";
import { currentHealth } from "./http/routes/health.ts";
import { join } from "node:path";
import { ConsoleEndpoints } from "./console/console-endpoints.ts";
import { ConsoleTickets } from "./console/console-tickets.ts";
import { VmConsoles } from "./console/vm-consoles.ts";
import { VmShells } from "./console/vm-shells.ts";
import { ScreenSharingCredentials } from "./console/screen-sharing-credentials.ts";
import { ConsoleProxy } from "./ws/console-proxy.ts";
import { LocalConsoleSource } from "./console/local-console-source.ts";
import { ClusterConsoles } from "./orchard/cluster-consoles.ts";
import { ClusterShells } from "./orchard/cluster-shells.ts";
import { ShellStreams } from "./ws/shell-stream.ts";
import { ServerMetrics } from "./metrics/server-metrics.ts";
import { createClusters } from "./orchard/clusters.ts";
import { ClustersFile } from "./storage/clusters-file.ts";

export interface Console {
  info(message: string): void;
  warn(message: string): void;
}

const LOG_LINES_IN_MEMORY = 2000;
const INTERRUPTED_BY_SHUTDOWN = "interrupted by server shutdown (VMs it started keep running; retry it after the restart)";
const FINISHED_TASK_RETENTION_MS = 30 * 60 * 1000;
// `tart ip` for every running VM at once: tart has no daemon and each call only reads the DHCP
// leases file, so they overlap freely; the cap only guards against a runaway inventory.
const IP_CONCURRENCY = 256;
const CONFIG_CONCURRENCY = 4;
const WARM_UP_DELAY_MS = 25;
const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);
// A cancel answers once its task has ended: after tart's grace period, a SIGKILL, and the clean-up.
const CANCEL_WAIT_SLACK_MS = 5_000;

export async function bootstrap(config: Config, out: Console) {
  const layout = layoutOf(config.dataDir);
  for (const warning of prepareDataDir(layout)) out.warn(warning);
  const tokenFile = new SecretFile(layout.tokenFile);
  const token = loadOrCreateToken(tokenFile);

  const store = new TaskStore(layout.database, LOG_LINES_IN_MEMORY);
  const interrupted = store.failInterrupted(Date.now() / 1000);
  if (interrupted) out.warn(`${interrupted} task(s) were cut off by the last shutdown; marked failed`);

  const locator = new TartLocator(config.tartPath, process.env.PATH);
  // Built before the objects it watches: the tart adapter tells it of every command as it ends.
  let metrics: ServerMetrics | null = null;
  const tart = new TartCli({
    locator,
    timeouts: config.tartTimeouts,
    env: process.env,
    cancelGraceMs: config.cancelGraceMs,
    onCall: (verb, outcome, seconds) => metrics?.tartCall(verb, outcome, seconds),
  });
  const tartStatus = new TartStatusProbe(tart, locator.describe());
  const locks = new VmLocks();
  const runs = new VmRuns();
  const tasks = new TaskManager({
    store,
    logDir: layout.taskLogs,
    logCapacity: LOG_LINES_IN_MEMORY,
    retentionMs: FINISHED_TASK_RETENTION_MS,
    warn: out.warn,
  });
  const inventory = new VmInventory({
    tart,
    busy: locks,
    runs,
    ipConcurrency: IP_CONCURRENCY,
    configConcurrency: CONFIG_CONCURRENCY,
    configMemory: new ConfigMemoryFile(layout.vmConfigs, tartHomeOf(process.env), out.warn),
  });
  // tart's home as the tart we run sees it: its changes are what the inventory follows.
  const homeWatcher = new TartHomeWatcher(tartHomeOf(process.env), {
    vms: (changed) => inventory.noteChanged(changed),
    images: () => inventory.noteChanged([]),
    everything: () => inventory.noteChanged("everything"),
  });
  const host = readHostFacts();
  const userAgent = `taartenfabriek/${VERSION}`;
  const github = new GithubCatalogue(config.githubApiUrl, userAgent);
  // ghcr.io is asked at config.ghcrUrl (a local fake in tests); any other registry at its own host,
  // over HTTPS, or plain HTTP when that host is a loopback address (registryBaseUrl).
  const registry = new OciRegistry({ baseUrl: (registryHost) => (registryHost === "ghcr.io" ? config.ghcrUrl : registryBaseUrl(registryHost)), userAgent });
  const tartHome = tartHomeOf(process.env);
  const imageSizes = new ImageDiskSizes(registry);
  const origins = new VmOrigins(new VmOriginsFile(layout.vmOrigins, out.warn));
  // Tart's housekeeping and registry accounts: tasks about no one VM (issue 13).
  const tartPresent = () => requireTart(tart);
  const usage = new TartHomeFiles(tartHome);
  const hostReport = new HostReport({ size: host, os: readHostOs, tartStatus, inventory, usage });
  const prune = new TartPrune({ tasks, locks, inventory, tart, usage, requireTart: tartPresent, afterPrune: () => hostReport.invalidate() });
  const registries = new RegistryLogins({ tasks, locks, inventory, tart, requireTart: tartPresent, store: new RegistryListFile(layout.registries, out.warn) });
  // Orchard clusters (issue 15): CLI contexts and added clusters, driven through their controllers.
  const clusters = createClusters({
    env: process.env,
    store: new ClustersFile(join(layout.root, "clusters.json"), out.warn),
    tasks,
    userAgent, // never "Orchard/0…": the controller would take us for a worker
    callTimeoutMs: Number(process.env.TARTVM_ORCHARD_TIMEOUT_MS) || 10_000,
    warn: out.warn,
  });
  // Run options kept per VM, checked against this host: its OS, interfaces, folders, tart.
  const interfaces = new HostInterfaces();
  const hostOs = readHostOs();
  const runOptions = new KeptRunOptions({
    store: new RunOptionsFile(layout.vmRunOptions, out.warn),
    inventory,
    hostFacts: async () => ({
      tartVersion: tartStatus.cached().version,
      hostOs: await hostOs,
      interfaces: await interfaces.list(),
      isDirectory: (path) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true,
    }),
  });
  const scratchFacts = async () => ({
    tartVersion: tartStatus.cached().version,
    hostOs: await hostOs,
    isFile: (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() === true,
  });
  // The browser console and shell (issue 11): tart's VNC endpoints in a 0600 state file, so a
  // restarted server still reaches the consoles of the VMs it started.
  const consoleEndpoints = new ConsoleEndpoints(new SecretFile(join(layout.root, "consoles.json")), out.warn);
  const consoleTickets = new ConsoleTickets();
  const findVm = (name: string) => inventory.find(name);
  const credentials = new ScreenSharingCredentials(new SecretFile(join(layout.root, "screen-sharing-logins.json")));
  const consoles = new VmConsoles({ endpoints: consoleEndpoints, tickets: consoleTickets, find: findVm, credentials });
  const shells = new VmShells({ tickets: consoleTickets, find: findVm, tartPath: () => tart.path, env: process.env });
  const consoleProxy = new ConsoleProxy(new LocalConsoleSource(consoles), out.warn);
  // Cluster VMs' consoles: the same proxy, upstream through the controller's port-forward.
  const clusterConsoles = new ClusterConsoles({ directory: clusters.directory, tickets: consoleTickets });
  const clusterConsoleProxy = new ConsoleProxy(clusterConsoles, out.warn);
  const shellStreams = new ShellStreams(shells);
  // Cluster VMs' shells: the same shell socket, upstream through the controller's exec.
  const clusterShells = new ClusterShells({ directory: clusters.directory, tickets: consoleTickets });
  const clusterShellStreams = new ShellStreams(clusterShells);
  const operations = new VmOperations({
    tart,
    tasks,
    locks,
    inventory,
    host,
    runLogDir: layout.runLogs,
    startTimeoutMs: 65_000, // tart run itself gives up waiting for an IP after 60 s
    stopTimeoutSeconds: 30,
    pullRetry: { retries: config.pullRetries, firstDelayMs: config.pullRetryDelayMs },
    cancelWaitMs: config.cancelGraceMs + CANCEL_WAIT_SLACK_MS,
    space: { tartHome, freeBytes: () => freeBytesAt(tartHome), imageDiskBytes: (reference) => imageSizes.diskBytes(reference) },
    origins,
    runs,
    runOptions,
    scratchFacts,
    console: {
      timeoutMs: config.tartTimeouts.run,
      found: (name, endpoint, run) => consoleEndpoints.add(name, { ...endpoint, pid: run.pid }, run.exited),
    },
    otherRetries: {
      prune: (task) => prune.prune(task.params as unknown as PruneRequest),
      registry_login: (task) => registries.refuseRetry(task),
      registry_logout: (task) => registries.logout(String(task.params.host)),
      ...clusters.retries,
    },
  });
  const autostart = new Autostart({
    store: new AutostartFile(layout.autostart, out.warn),
    find: (name) => inventory.find(name),
    start: (name) => operations.start(name),
    log: out.info,
  });
  metrics = new ServerMetrics({ vms: () => inventory.list(), activeTasks: () => tasks.active(), onTaskChange: (listener) => tasks.onAnyChange(listener) });
  const githubToken = new GithubTokenSetting(new SecretFile(layout.githubTokenFile), config.githubToken);
  const streams = new TaskStreams(tasks);
  // One event stream for every change (/ws/events): VMs from the inventory, tasks, health.
  const eventLog = new EventLog();
  const vmFeed = new VmFeed(inventory, eventLog);
  const taskFeed = new TaskFeed(tasks, eventLog);
  const healthDeps = { version: VERSION, dataDir: layout.root, tartStatus, inventory, host };
  const healthFeed = new HealthFeed(() => currentHealth(healthDeps), [(l) => inventory.onChange(l), (l) => tartStatus.onChange(l)], eventLog);
  const events = new EventStreams(eventLog, () => vmFeed.publish());
  const registryCatalogue = new RegistryCatalogue({ registry, cacheFile: layout.catalogueCache, log: out.warn });
  const builtIn = curatedRepositories();
  const repositories = new AddedRepositories({
    store: new RepositoryListFile(layout.repositories, out.warn),
    registry,
    builtIn: builtIn.map((repo) => `${repo.host}/${repo.repository}`),
  });
  const catalogue = new ImageCatalogue({
    registry: { list: () => registryCatalogue.list([...builtIn, ...repositories.list().map(addedRepository)]) },
    github,
    githubToken: () => githubToken.current(),
    inventory: () => inventory.list(),
    origins: () => origins.all(),
  });
  let boundPort = config.port;
  // An explicit address the server listens on is a name it may be reached by; a wildcard is not.
  const listenName = config.host.includes(":") && !config.host.startsWith("[") ? `[${config.host}]` : config.host;
  const allowedHosts = WILDCARDS.has(config.host) ? config.allowedHosts : [...config.allowedHosts, listenName.toLowerCase()];
  const guard = new RequestGuard({ tokenFile, initialToken: token, allowedHosts, port: () => boundPort });
  const app = createApp({
    version: VERSION,
    host,
    dataDir: layout.root,
    guard,
    inventory,
    operations,
    tasks,
    tartStatus,
    catalogue,
    github,
    githubToken,
    repositories,
    hostReport,
    prune,
    registries,
    clusters,
    runOptions,
    autostart,
    streams,
    events,
    console: { consoles, shells, proxy: consoleProxy, shellStreams, cluster: { consoles: clusterConsoles, proxy: clusterConsoleProxy, shells: clusterShells, shellStreams: clusterShellStreams } },
    metrics,
    uiFiles: await loadUiFiles(),
    log: out.warn,
  });

  return {
    app,
    token,
    layout,
    /**
     * Call once the port is bound (the Host check needs the real port). The first look at tart
     * waits a moment, so the first request — the page just opened — is not answered behind
     * tart processes starting up; resolves with what that look found.
     */
    async bound(port: number): Promise<TartStatus> {
      boundPort = port;
      inventory.startReconciling(config.reconcileMs);
      homeWatcher.start();
      await Bun.sleep(WARM_UP_DELAY_MS);
      // The restart policy needs the first look: which marked VMs exist, and which run already.
      void inventory.refresh().then(
        () => autostart.startAll(),
        () => autostart.list().length && out.warn("autostart: tart could not be asked for its VMs; none was started"),
      );
      return tartStatus.check();
    },
    /** Graceful stop: websockets told 1001, task state saved. Running VMs are left alone. */
    shutdown() {
      inventory.stop();
      homeWatcher.stop();
      // Clients first hear 1001 "going away" (they reconnect after the restart and find the
      // task failed); recording the failure first would close them with a normal 1000.
      streams.closeAll();
      events.closeAll();
      consoleProxy.closeAll();
      clusterConsoleProxy.closeAll();
      shellStreams.closeAll();
      clusterShellStreams.closeAll();
      vmFeed.stop();
      taskFeed.stop();
      healthFeed.stop();
      metrics?.stop();
      tasks.interruptAll(INTERRUPTED_BY_SHUTDOWN);
      tasks.flushAll();
      store.close();
    },
  };
}
