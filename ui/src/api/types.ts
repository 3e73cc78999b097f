/**
 * Wire types of the taartenfabriek API (the API contract plus this server's additions: VM.state,
 * kind, size_on_disk, accessed, digest, active_task_id; Task.vm_name, progress, pull_progress, log_offset;
 * health's tart.checking and host). Only shapes live here — no behaviour — so every logic module
 * and test can import them. VM, Task and Health are the server's own wire types (type-only
 * imports: nothing of src/ is bundled through this file), with the VM and Task additions made
 * optional: the UI reads them when present and falls back when not (an OCI image is also told by
 * its registry path).
 */
import type { TaskAction, TaskStatus, TaskWire } from "../../../src/domain/task.ts";
import type { Vm as ServerVm } from "../../../src/domain/vm.ts";
import type { Health } from "../../../src/http/models/health.ts";
import type { RepositoriesSetting } from "../../../src/http/models/settings.ts";
import type { CatalogueEntry } from "../../../src/domain/image-catalogue.ts";
import type { CreateRequest } from "../../../src/domain/vm-operations.ts";
import type { SettingsRequest } from "../../../src/domain/vm-settings.ts";
import type { GithubTokenStatus } from "../../../src/storage/github-token.ts";
import type { HostFacts, RegistryLogin } from "../../../src/http/models/host.ts";
import type { PruneRequest } from "../../../src/domain/prune.ts";
import type { ScratchRequest } from "../../../src/domain/create-from-scratch.ts";
import type { RunOptionsInput } from "../../../src/domain/run-options.ts";
import type { RunOptionsView as ServerRunOptionsView } from "../../../src/domain/run-options-kept.ts";
import type { ClusterInspectWire, ClusterVmWire, ClusterWire, ClusterWorkerWire } from "../../../src/orchard/cluster-wire.ts";
import type { AddCluster } from "../../../src/orchard/cluster-directory.ts";
import type { CreateClusterVm } from "../../../src/orchard/cluster-vms.ts";

/** Orchard clusters (`GET /api/clusters`, …). */
export type Cluster = ClusterWire;
export type ClusterInspect = ClusterInspectWire;
export type ClusterVm = ClusterVmWire;
export type ClusterWorker = ClusterWorkerWire;
export type AddClusterRequest = AddCluster;
export type CreateClusterVmRequest = CreateClusterVm;

export type { GithubTokenStatus, Health, HostFacts, PruneRequest, RegistryLogin, RepositoriesSetting, TaskAction, TaskStatus };
/** An image of the catalogue (`GET /api/vms/available-images`). */
export type VmImage = CatalogueEntry;
/** The body of `POST /api/vms/create`. */
export type CreateVmRequest = CreateRequest;
/** The body of `POST /api/vms/create` from scratch (`from_ipsw` or `linux`). */
export type ScratchCreateRequest = ScratchRequest;
export type { RunOptionsInput };
/** `GET/PUT /api/vms/{name}/run-options`, with the `tart run` line the route adds. */
export interface RunOptionsView extends ServerRunOptionsView {
  command: string[];
  command_line: string;
}

type VmAdditions = "state" | "kind" | "size_on_disk" | "accessed" | "digest" | "active_task_id" | "suspendable";
export interface Vm extends Omit<ServerVm, VmAdditions>, Partial<Pick<ServerVm, VmAdditions>> {}

export type VmStatus = Vm["status"];

export interface VmCategories {
  base_images: Vm[];
  working_vms: Vm[];
}

export interface VmConfig {
  name: string;
  cpu: number | null;
  memory: string | null;
  disk_size: string | null;
  /** `1024x768`, or with `px`/`pt` (this server's addition). */
  display?: string | null;
  raw: Record<string, unknown>;
}

/** The body of `POST /api/vms/{name}/settings`. */
export type VmSettingsRequest = SettingsRequest;

export interface StartResult {
  message?: string;
  ip_address?: string | null;
  vnc_url?: string | null;
  vnc_console_url?: string | null;
}

type TaskAdditions = "vm_name" | "progress" | "pull_progress" | "install_progress";
/** Where a pull stands: phase, bytes, rate, ETA, attempt (the server parses tart's output). */
export type PullProgress = NonNullable<TaskWire["pull_progress"]>;
export interface Task extends Omit<TaskWire, TaskAdditions | "result">, Partial<Pick<TaskWire, TaskAdditions>> {
  /** What a finished start reports (its address and VNC URLs) is spelled out for the UI. */
  result: (Record<string, unknown> & StartResult) | null;
}

export interface TaskPage {
  tasks: Task[];
  next_before: number | null;
}
