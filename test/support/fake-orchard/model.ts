/**
 * The fake controller's resources, serialised as Orchard's Go structs are (spec orchard.md §4):
 * fields in struct order, `omitempty` dropping zero numbers, strings, slices and maps, but never
 * a time (an unset one is Go's zero time) and never `generation`/`observedGeneration`.
 */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

/** Go's RFC3339Nano: up to nine fractional digits, trailing zeros trimmed. */
export function goTime(ms = Date.now()): string {
  const iso = new Date(ms).toISOString(); // …T19:56:46.123Z
  const nanos = String(Math.floor(ms % 1000) * 1_000_000 + Math.floor(Math.random() * 1_000_000)).padStart(9, "0").replace(/0+$/, "");
  return iso.replace(/\.\d{3}Z$/, nanos ? `.${nanos}Z` : "Z");
}

export interface Condition {
  type: "scheduled" | "running" | "cloning" | "stopping" | "suspending";
  state: "true" | "false";
}

export interface VmRecord {
  image: string;
  imagePullPolicy: string;
  cpu?: number;
  memory?: number;
  diskSize?: number;
  "net-bridged"?: string;
  headless?: boolean;
  nested?: boolean;
  os: string;
  arch: string;
  runtime: string;
  suspendable?: boolean;
  powerState: "running" | "stopped" | "suspended";
  localName: string;
  observedGeneration: number;
  conditions: Condition[];
  status: "pending" | "running" | "failed";
  status_message?: string;
  worker?: string;
  assignedCPU?: number;
  assignedMemory?: number;
  username?: string;
  password?: string;
  startup_script?: { script_content: string; env?: Record<string, string> };
  restart_policy: string;
  restarted_at: string;
  restart_count?: number;
  uid: string;
  resources?: Record<string, number>;
  labels?: Record<string, string>;
  image_fqn?: string;
  scheduled_at: string;
  started_at: string;
  generation: number;
  name: string;
  createdAt: string;
  version?: number;
}

const VM_ORDER = [
  "image", "imagePullPolicy", "cpu", "memory", "diskSize", "net-bridged", "headless", "nested", "os", "arch", "runtime",
  "suspendable", "powerState", "localName", "tartName", "observedGeneration", "conditions", "status", "status_message",
  "worker", "assignedCPU", "assignedMemory", "username", "password", "startup_script", "restart_policy", "restarted_at",
  "restart_count", "uid", "resources", "labels", "image_fqn", "scheduled_at", "started_at", "generation", "name",
  "createdAt", "version",
] as const;
const ALWAYS = new Set(["observedGeneration", "generation", "restarted_at", "scheduled_at", "started_at", "createdAt"]);

/** The VM as Go encodes it; `withVersion` false for the POST answer, which has none. */
export function vmJson(vm: VmRecord | null, withVersion = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = (vm ?? { restarted_at: ZERO_TIME, scheduled_at: ZERO_TIME, started_at: ZERO_TIME, createdAt: ZERO_TIME, generation: 0, observedGeneration: 0 }) as unknown as Record<string, unknown>;
  for (const key of VM_ORDER) {
    const value = key === "tartName" ? source.localName : source[key];
    if (key === "version" && !withVersion) continue;
    if (ALWAYS.has(key)) {
      out[key] = value ?? (key.endsWith("eneration") ? 0 : ZERO_TIME);
      continue;
    }
    if (isEmpty(value)) continue;
    out[key] = value;
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

export interface WorkerRecord {
  last_seen: string;
  machine_id: string;
  scheduling_paused?: boolean;
  resources: Record<string, number>;
  labels?: Record<string, string>;
  defaultCPU?: number;
  defaultMemory?: number;
  arch: string;
  runtime: string;
  name: string;
  createdAt: string;
}

const WORKER_ORDER = ["last_seen", "machine_id", "scheduling_paused", "resources", "labels", "defaultCPU", "defaultMemory", "arch", "runtime", "name", "createdAt"] as const;

export function workerJson(worker: WorkerRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = worker as unknown as Record<string, unknown>;
  for (const key of WORKER_ORDER) {
    if (key === "last_seen" || key === "createdAt") out[key] = source[key] ?? ZERO_TIME;
    else if (!isEmpty(source[key])) out[key] = source[key];
  }
  return out;
}

export type Role = "compute:read" | "compute:write" | "compute:connect" | "admin:read" | "admin:write";
export const ROLES: readonly Role[] = ["compute:read", "compute:write", "compute:connect", "admin:read", "admin:write"];

export interface ServiceAccount {
  name: string;
  token: string;
  roles: Role[];
}

export interface OrchardEvent {
  kind: "log_line";
  timestamp: number;
  payload: string;
}

/** `internal/simplename`: the characters a VM name may use. */
export const SIMPLE_NAME = /^[A-Za-z0-9:\-_.]+$/;
