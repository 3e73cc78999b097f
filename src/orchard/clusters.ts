/**
 * The Orchard side of the server, built once by the composition root: the directory of clusters
 * (CLI contexts + added ones), their health, their VMs and workers. Timeouts: every controller
 * call `callTimeoutMs` (Orchard's own client uses 30 s), a health probe at most 3 s so listing
 * clusters stays quick when one controller hangs.
 */
import type { TaskManager } from "../domain/task-manager.ts";
import type { Task } from "../domain/task.ts";
import { orchardContextsReader } from "./cli-config.ts";
import { ClusterDirectory, type ClusterStore } from "./cluster-directory.ts";
import { ClusterHealth } from "./cluster-health.ts";
import { ClusterVms, type CreateClusterVm } from "./cluster-vms.ts";
import { ClusterWorkers } from "./cluster-workers.ts";

export interface ClustersOptions {
  env: Record<string, string | undefined>;
  store: ClusterStore;
  tasks: TaskManager;
  userAgent: string;
  callTimeoutMs: number;
  warn: (message: string) => void;
}

export type Clusters = ReturnType<typeof createClusters>;

export function createClusters(options: ClustersOptions) {
  const warned = new Set<string>();
  // orchard.yml is read again whenever it changes; say what is wrong with it once, not on every change.
  const warnOnce = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    options.warn(message);
  };
  const health = new ClusterHealth({ ttlMs: 5_000, timeoutMs: Math.min(3_000, options.callTimeoutMs) });
  const directory = new ClusterDirectory({
    cliContexts: orchardContextsReader(options.env, warnOnce),
    store: options.store,
    health,
    client: { userAgent: options.userAgent, timeoutMs: options.callTimeoutMs },
    probeTimeoutMs: Math.min(5_000, options.callTimeoutMs),
  });
  const vms = new ClusterVms({
    directory,
    tasks: options.tasks,
    listTtlMs: 1_000,
    createDeadlineMs: 60 * 60 * 1000, // an image pull on a worker may take this long
    stopDeadlineMs: 5 * 60 * 1000,
    follow: { eventsPollMs: 1_000, rewatchMs: 1_000 },
  });
  const workers = new ClusterWorkers({ directory, vms });
  /** A failed cluster task run again from its params (the guest password was never kept). */
  const retries = {
    create_cluster_vm: (task: Task) => {
      const { cluster, ...input } = task.params as unknown as CreateClusterVm & { cluster: string };
      return vms.create(cluster, input);
    },
    stop_cluster_vm: (task: Task) => vms.stop(String(task.params.cluster), String(task.params.name)),
    delete_cluster_vm: (task: Task) => vms.delete(String(task.params.cluster), String(task.params.name)),
  };
  return { directory, vms, workers, retries };
}
