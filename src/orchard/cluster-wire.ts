/**
 * The cluster routes' answers (docs/API.md "Clusters"), shared by the server and, type-only, the
 * UI. Orchard's fields are renamed to this API's snake_case, its zero times become null, and
 * memory is in MiB as Orchard keeps it (`memory_mib`).
 */
import type { ClusterSource } from "./cluster-config.ts";

export type ClusterState = "ok" | "unauthorized" | "unreachable" | "untrusted_certificate" | "timeout" | "error";

export interface ClusterHealthWire {
  state: ClusterState;
  reachable: boolean;
  /** null: not known (the controller could not be reached). */
  auth_ok: boolean | null;
  version: string | null;
  commit: string | null;
  capabilities: string[];
  /** What went wrong, for any state but ok. */
  detail: string | null;
  checked_at: number;
}

export interface ClusterWire {
  name: string;
  url: string;
  source: ClusterSource;
  /** Orchard CLI contexts are read-only here: change them with `orchard context`. */
  read_only: boolean;
  service_account_name: string | null;
  tls: boolean;
  /** Of the pinned certificate; null when the system's roots are trusted or there is no TLS. */
  certificate_fingerprint: string | null;
  health: ClusterHealthWire;
}

export interface ClusterInspectWire {
  url: string;
  tls: boolean;
  /** What the controller presents (null for plain HTTP or when nothing answered TLS). */
  certificate_fingerprint: string | null;
  certificate_subject: string | null;
  trusted_by_system: boolean;
}

/** This API's one word for a cluster VM, from Orchard's status and its one-way powerState. */
export type ClusterVmState = "pending" | "running" | "stopping" | "stopped" | "failed";

export interface ClusterVmWire {
  name: string;
  cluster: string;
  state: ClusterVmState;
  /** Orchard's own: pending | running | failed. */
  status: string;
  status_message: string | null;
  power_state: string;
  worker: string | null;
  image: string;
  image_fqn: string | null;
  cpu: number | null;
  memory_mib: number | null;
  disk_size: number | null;
  headless: boolean;
  restart_policy: string;
  restart_count: number;
  labels: Record<string, string>;
  created_at: string | null;
  scheduled_at: string | null;
  started_at: string | null;
}

export interface ClusterWorkerWire {
  name: string;
  /** last_seen within Orchard's offline timeout (3 minutes). */
  online: boolean;
  last_seen: string | null;
  scheduling_paused: boolean;
  labels: Record<string, string>;
  resources: Record<string, number>;
  arch: string | null;
  runtime: string | null;
  /** What its VMs (not failed, not stopped) take of its resources. */
  used: Record<string, number>;
  vm_count: number;
}
