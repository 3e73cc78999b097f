/**
 * A cluster's VMs through its controller. The list is coalesced: one `GET /v1/vms` per cluster
 * at a time, its answer shared for `listTtlMs`, so any number of dashboards polling costs the
 * controller about one request a second per cluster, never one per VM. Create, stop and delete
 * are Tasks of the seed's shape: the first controller call happens before the task exists, so an
 * Orchard refusal (412, 409, 404) is this request's `{"detail"}`; the task then follows the VM
 * through the watch and its events (vm-follower.ts).
 *
 * Orchard has no start: a stop sets the one-way `powerState: stopped` (GET → modify → PUT, as
 * the CLI does); such a VM can only be deleted, or recreated.
 */
import { launchTask } from "../domain/task-launcher.ts";
import type { Task } from "../domain/task.ts";
import type { TaskManager } from "../domain/task-manager.ts";
import { VmLocks } from "../domain/vm-locks.ts";
import type { ClusterDirectory } from "./cluster-directory.ts";
import { clusterError } from "./cluster-errors.ts";
import { gbToMiB } from "../domain/units.ts";
import type { ControllerClient } from "./controller-client.ts";
import { toVmWire, vmState, type OrchardVm } from "./orchard-resources.ts";
import { followVm, type FollowTiming } from "./vm-follower.ts";
import { listJsonOf, type ListJson } from "../domain/list-json-cache.ts";

export interface CreateClusterVm {
  name: string;
  image: string;
  cpu?: number | null;
  /** GB, as POST /api/vms/create; Orchard takes MiB. */
  memory?: number | null;
  /** GB, as Orchard's diskSize. */
  disk_size?: number | null;
  headless?: boolean | null;
  startup_script?: string | null;
  startup_env?: Record<string, string> | null;
  labels?: Record<string, string> | null;
  restart_policy?: "Never" | "OnFailure" | null;
  image_pull_policy?: "IfNotPresent" | "Always" | null;
  username?: string | null;
  /** The guest's SSH password (for the startup script): sent to the controller, kept nowhere here. */
  password?: string | null;
}

export interface ClusterVmsDeps {
  directory: ClusterDirectory;
  tasks: TaskManager;
  listTtlMs: number;
  createDeadlineMs: number;
  stopDeadlineMs: number;
  follow: FollowTiming;
}

interface Hold {
  id: string;
  action: Task["action"];
  release: () => void;
}

export class ClusterVms {
  private readonly lists = new Map<string, { at: number; vms: Promise<OrchardVm[]>; body?: Promise<ListJson> }>();
  private readonly locks = new VmLocks();
  /** Requests made to controllers for VM lists (the bench counts them). */
  listCalls = 0;

  constructor(private readonly deps: ClusterVmsDeps) {}

  /**
   * `{"vms": [...]}` as JSON with a hash of it (the route's ETag), made once per controller
   * answer and shared by every request in its window: 2,000 VMs are about a megabyte, which is
   * not worth converting again per reader, nor sending again to a page that holds it already.
   */
  async listBody(cluster: string): Promise<ListJson> {
    const vms = this.raw(cluster);
    const entry = this.lists.get(cluster);
    const render = (list: OrchardVm[]) => listJsonOf({ vms: list.map((vm) => toVmWire(cluster, vm)) });
    if (!entry || entry.vms !== vms) return render(await vms);
    entry.body ??= vms.then(render);
    return entry.body;
  }

  /** Orchard's VM objects, from the shared list. */
  raw(cluster: string): Promise<OrchardVm[]> {
    const client = this.deps.directory.client(cluster);
    const cached = this.lists.get(cluster);
    if (cached && Date.now() - cached.at < this.deps.listTtlMs) return cached.vms;
    this.listCalls += 1;
    const vms = client.call<OrchardVm[]>("GET", "/vms").then(
      ({ body }) => body ?? [],
      (error) => {
        this.lists.delete(cluster); // a failure is not shared beyond the requests already waiting
        throw clusterError(error, cluster);
      },
    );
    this.lists.set(cluster, { at: Date.now(), vms });
    return vms;
  }

  async create(cluster: string, input: CreateClusterVm): Promise<Task> {
    const client = this.deps.directory.client(cluster);
    const body = orchardVmBody(input);
    const hold = this.lock("create_cluster_vm", cluster, input.name);
    let created: OrchardVm;
    try {
      created = (await client.call<OrchardVm>("POST", "/vms", body)).body;
    } catch (error) {
      hold.release();
      throw clusterError(error, cluster);
    }
    this.invalidate(cluster);
    const { password: _secret, ...params } = input;
    return this.launch(hold, cluster, input.name, { ...params, cluster }, async (ctx) => {
      ctx.log(`POST ${client.config.url}/v1/vms: ${input.name} from ${input.image}, ${created.status ?? "pending"}`);
      const vm = await followVm(client, input.name, ctx, (seen) => {
        if (!seen) return { failed: `Cluster VM ${input.name} was deleted before it ran` };
        const state = vmState(seen);
        if (state === "running") return { done: true, vm: seen };
        if (state === "failed") return { failed: seen.status_message || `Cluster VM ${input.name} failed` };
        return null;
      }, this.deps.createDeadlineMs, this.deps.follow);
      return { cluster, vm: toVmWire(cluster, vm!) };
    });
  }

  async stop(cluster: string, name: string): Promise<Task> {
    const client = this.deps.directory.client(cluster);
    const hold = this.lock("stop_cluster_vm", cluster, name);
    let generation: number;
    try {
      const { body: current } = await client.call<OrchardVm>("GET", `/vms/${encodeURIComponent(name)}`);
      const { body: updated } = await client.call<OrchardVm>("PUT", `/vms/${encodeURIComponent(name)}`, { ...current, powerState: "stopped" });
      generation = updated.generation ?? 0;
    } catch (error) {
      hold.release();
      throw clusterError(error, cluster, `No VM named ${name} on cluster ${cluster}`);
    }
    this.invalidate(cluster);
    return this.launch(hold, cluster, name, { cluster, name }, async (ctx) => {
      ctx.log(`PUT ${client.config.url}/v1/vms/${name}: powerState stopped (one way: Orchard cannot run it again)`);
      const vm = await followVm(client, name, ctx, (seen) => {
        if (!seen) return { done: true, vm: null };
        if (seen.status === "failed") return { failed: seen.status_message || `Cluster VM ${name} failed` };
        return (seen.observedGeneration ?? 0) >= generation ? { done: true, vm: seen } : null;
      }, this.deps.stopDeadlineMs, this.deps.follow);
      return { cluster, vm: vm ? toVmWire(cluster, vm) : null };
    });
  }

  async delete(cluster: string, name: string): Promise<Task> {
    const client = this.deps.directory.client(cluster);
    const hold = this.lock("delete_cluster_vm", cluster, name);
    try {
      await client.call("DELETE", `/vms/${encodeURIComponent(name)}`);
    } catch (error) {
      hold.release();
      throw clusterError(error, cluster, `No VM named ${name} on cluster ${cluster}`);
    }
    this.invalidate(cluster);
    return this.launch(hold, cluster, name, { cluster, name }, async (ctx) => {
      // The controller forgets the VM and its events at once; its worker removes it from disk after.
      ctx.log(`DELETE ${client.config.url}/v1/vms/${name}: deleted, with its events`);
      return { cluster, name };
    });
  }

  /**
   * Holds `cluster/name` from before the controller is asked until the task that follows ends,
   * under the id that task will have, so a second operation's 409 names it.
   */
  private lock(action: Task["action"], cluster: string, name: string): Hold {
    const id = crypto.randomUUID();
    return { id, action, release: this.locks.acquire([{ name: `${cluster}/${name}`, mode: "exclusive" }], id, action) };
  }

  private launch(hold: Hold, cluster: string, name: string, params: Record<string, unknown>, work: Parameters<typeof launchTask>[1]["work"]): Task {
    return launchTask(
      { tasks: this.deps.tasks, locks: this.locks, inventory: { settle: async () => [] } },
      {
        id: hold.id,
        action: hold.action,
        subject: `${cluster}/${name}`,
        params,
        locks: [], // already held, since before the controller was asked
        work,
        onEnd: () => {
          hold.release();
          this.invalidate(cluster);
        },
      },
    );
  }

  private invalidate(cluster: string): void {
    this.lists.delete(cluster);
  }
}

/** This API's create body as Orchard's VM: memory GB → MiB; null and absent fields left out. */
export function orchardVmBody(input: CreateClusterVm): Record<string, unknown> {
  const body: Record<string, unknown> = { name: input.name, image: input.image };
  if (input.cpu) body.cpu = input.cpu;
  if (input.memory) body.memory = gbToMiB(input.memory); // Orchard takes MiB
  if (input.disk_size) body.diskSize = input.disk_size;
  if (input.headless != null) body.headless = input.headless;
  if (input.startup_script) body.startup_script = { script_content: input.startup_script, ...(input.startup_env ? { env: input.startup_env } : {}) };
  if (input.labels && Object.keys(input.labels).length) body.labels = input.labels;
  if (input.restart_policy) body.restart_policy = input.restart_policy;
  if (input.image_pull_policy) body.imagePullPolicy = input.image_pull_policy;
  if (input.username) body.username = input.username;
  if (input.password) body.password = input.password;
  return body;
}

