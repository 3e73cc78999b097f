/**
 * Wire types of the taartenfabriek API (../shared/spec/API.md plus the UI additions: VM.state,
 * kind, size_on_disk, accessed, digest, active_task_id; Task.vm_name, progress, log_offset).
 * Only shapes live here — no behaviour — so every logic module and test can import them.
 */

export type VmStatus = "running" | "stopped" | "unknown";

export interface Vm {
  name: string;
  status: VmStatus;
  ip_address: string | null;
  source: string | null;
  os: string | null;
  cpu: number | null;
  memory: string | null;
  disk_size: number | string | null;
  display: string | null;
  /** tart's own state word; "suspended" is the one `status` folds away. */
  state?: "running" | "suspended" | "stopped" | null;
  kind?: "oci" | "local";
  size_on_disk?: number | null;
  accessed?: string | null;
  digest?: string | null;
  active_task_id?: string | null;
}

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

export type TaskStatus = "pending" | "running" | "completed" | "failed";

export interface StartResult {
  message?: string;
  ip_address?: string | null;
  vnc_url?: string | null;
  vnc_console_url?: string | null;
}

export interface Task {
  id: string;
  action: string;
  status: TaskStatus;
  command: string[] | null;
  exit_code: number | null;
  result: (Record<string, unknown> & StartResult) | null;
  error: string | null;
  stderr: string | null;
  created_at: number;
  updated_at: number;
  logs: string[];
  vm_name?: string | null;
  progress?: number | null;
  /** Present on websocket messages in mode=delta: `logs` starts at this index. */
  log_offset?: number;
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
