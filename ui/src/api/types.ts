/**
 * Wire types of the taartenfabriek API (../shared/spec/API.md plus the UI additions: VM.state,
 * kind, size_on_disk, accessed, digest, active_task_id; Task.vm_name, progress, log_offset).
 * Only shapes live here — no behaviour — so every logic module and test can import them.
 * VM and Task are the server's own wire types (type-only imports: nothing of src/ is bundled),
 * with the additions beyond API.md made optional: the UI reads them when present and falls back
 * when not (an OCI image is also told by its registry path), as it did with its own copy.
 */
import type { TaskAction, TaskStatus, TaskWire } from "../../../src/domain/task.ts";
import type { Vm as ServerVm } from "../../../src/domain/vm.ts";

export type { TaskAction, TaskStatus };

type VmAdditions = "state" | "kind" | "size_on_disk" | "accessed" | "digest" | "active_task_id";
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
  raw: Record<string, unknown>;
}

export interface StartResult {
  message?: string;
  ip_address?: string | null;
  vnc_url?: string | null;
  vnc_console_url?: string | null;
}

type TaskAdditions = "vm_name" | "progress";
export interface Task extends Omit<TaskWire, TaskAdditions | "result">, Partial<Pick<TaskWire, TaskAdditions>> {
  /** What a finished start reports (its address and VNC URLs) is spelled out for the UI. */
  result: (Record<string, unknown> & StartResult) | null;
}

export interface TaskPage {
  tasks: Task[];
  next_before: number | null;
}

export interface VmImage {
  name: string;
  url: string;
  description: string | null;
  tags: string[];
  updated_at: string | null;
}

export interface Health {
  status: string;
  version: string;
  data_dir?: string;
  tart?: { available: boolean; path: string | null; version: string | null; error: string | null };
  inventory?: { refreshed_at: number | null; stale: boolean; error: string | null };
}

export interface GithubTokenStatus {
  configured: boolean;
  masked_token: string | null;
}

export interface CreateVmRequest {
  name: string;
  source_vm: string;
  cpu: number;
  memory: number;
  disk_size: number;
}
