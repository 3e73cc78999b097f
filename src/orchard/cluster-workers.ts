/**
 * A cluster's workers: Orchard's worker list with an online flag from `last_seen` and what their
 * VMs use (from the coalesced VM list), and pausing or resuming scheduling the way `orchard pause
 * worker` does it — GET the worker, change `scheduling_paused`, PUT the whole object back (the
 * controller reads the name from the body and applies only that flag and `last_seen`).
 */
import { clusterError } from "./cluster-errors.ts";
import type { ClusterDirectory } from "./cluster-directory.ts";
import type { ClusterVms } from "./cluster-vms.ts";
import type { ClusterWorkerWire } from "./cluster-wire.ts";
import { toWorkerWire, type OrchardWorker } from "./orchard-resources.ts";

export class ClusterWorkers {
  constructor(private readonly deps: { directory: ClusterDirectory; vms: ClusterVms }) {}

  async list(cluster: string): Promise<ClusterWorkerWire[]> {
    const client = this.deps.directory.client(cluster);
    const [workers, vms] = await Promise.all([
      client.call<OrchardWorker[]>("GET", "/workers").then(({ body }) => body ?? [], (error) => Promise.reject(clusterError(error, cluster))),
      this.deps.vms.raw(cluster),
    ]);
    const now = Date.now();
    return workers.map((worker) => toWorkerWire(worker, vms, now));
  }

  async setPaused(cluster: string, name: string, paused: boolean): Promise<ClusterWorkerWire> {
    const client = this.deps.directory.client(cluster);
    const path = `/workers/${encodeURIComponent(name)}`;
    try {
      const { body: worker } = await client.call<OrchardWorker>("GET", path);
      const { body: updated } = await client.call<OrchardWorker>("PUT", path, { ...worker, scheduling_paused: paused });
      return toWorkerWire(updated, await this.deps.vms.raw(cluster).catch(() => []));
    } catch (error) {
      throw clusterError(error, cluster, `No worker named ${name} on cluster ${cluster}`);
    }
  }
}
