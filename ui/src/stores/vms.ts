/**
 * The VM inventory as the UI holds it, and the pure functions over it: a reducer for what the
 * server said (event, poll, refresh, failure) and selectors that split the list into the "OCI images" and
 * "Local VMs" sections, filter it and page it. No Solid imports: the provider keeps the state in a
 * store and applies these; tests call them directly.
 */
import type { Vm, VmStatus } from "../api/types.ts";

export interface VmState {
  vms: Vm[];
  loaded: boolean;
  /** Date.now() of the last successful load. */
  updatedAt: number | null;
  /** The last load's failure, cleared by the next success. */
  error: string | null;
  refreshing: boolean;
  /**
   * The ETag of the list as the server last sent it, for the next poll's If-None-Match. Null
   * once the UI's copy differs from that answer (an optimistic busy mark), so the next poll
   * downloads the list again rather than hearing "unchanged" about a list the UI no longer holds.
   */
  etag: string | null;
}

export type VmAction =
  | { type: "loaded"; vms: Vm[]; at: number; etag?: string | null }
  /** A poll heard 304: the list the UI holds is still the server's. */
  | { type: "unchanged"; at: number }
  | { type: "loadFailed"; error: string }
  | { type: "refreshStarted" }
  | { type: "refreshFinished" }
  /** An action was accepted: mark the VM busy before the next poll says so. */
  | { type: "taskStarted"; name: string; taskId: string }
  | { type: "taskFinished"; taskId: string }
  /** The event stream: one VM added or changed (the whole VM), or one gone. */
  | { type: "vmChanged"; vm: Vm; at: number }
  | { type: "vmRemoved"; name: string; at: number };

export const initialVmState = (): VmState => ({ vms: [], loaded: false, updatedAt: null, error: null, refreshing: false, etag: null });

const byName = (a: Vm, b: Vm) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function vmReducer(state: VmState, action: VmAction): VmState {
  switch (action.type) {
    case "loaded":
      // Sorted here once so every view shows a stable order however tart lists them.
      return { ...state, vms: [...action.vms].sort(byName), loaded: true, updatedAt: action.at, error: null, etag: action.etag ?? null };
    case "unchanged":
      return { ...state, updatedAt: action.at, error: null };
    case "loadFailed":
      return { ...state, error: action.error };
    case "refreshStarted":
      return { ...state, refreshing: true };
    case "refreshFinished":
      return { ...state, refreshing: false };
    case "taskStarted":
      return {
        ...state,
        vms: state.vms.map((vm) => (vm.name === action.name ? { ...vm, active_task_id: action.taskId } : vm)),
        etag: null,
      };
    case "taskFinished":
      return {
        ...state,
        vms: state.vms.map((vm) => (vm.active_task_id === action.taskId ? { ...vm, active_task_id: null } : vm)),
        etag: null,
      };
    case "vmChanged": {
      const at = state.vms.findIndex((vm) => vm.name === action.vm.name);
      const vms = at >= 0 ? state.vms.map((vm, i) => (i === at ? action.vm : vm)) : [...state.vms, action.vm].sort(byName);
      // The list now differs from any answer the ETag names: a fallback poll must download it.
      return { ...state, vms, updatedAt: action.at, etag: null };
    }
    case "vmRemoved":
      return { ...state, vms: state.vms.filter((vm) => vm.name !== action.name), updatedAt: action.at, etag: null };
  }
}

/**
 * OCI images are pulled base images; everything else is a local VM. The server says which via
 * `kind`; without it (an older server) an OCI name is recognised by its registry path.
 */
export function isOci(vm: Pick<Vm, "kind" | "name" | "source">): boolean {
  if (vm.kind) return vm.kind === "oci";
  return vm.source === "oci" || vm.source === "OCI" || vm.name.includes("/");
}

export type StatusFilter = "all" | VmStatus;

export interface VmFilter {
  text: string;
  status: StatusFilter;
}

export function matchesFilter(vm: Vm, filter: VmFilter): boolean {
  if (filter.status !== "all" && vm.status !== filter.status) return false;
  const needle = filter.text.trim().toLowerCase();
  if (!needle) return true;
  return [vm.name, vm.ip_address, vm.os, vm.source, vm.state]
    .some((field) => typeof field === "string" && field.toLowerCase().includes(needle));
}

export interface Sections {
  oci: Vm[];
  local: Vm[];
  /** Counts before filtering, for "3 of 12" headings. */
  totalOci: number;
  totalLocal: number;
}

export function sections(vms: readonly Vm[], filter: VmFilter): Sections {
  const out: Sections = { oci: [], local: [], totalOci: 0, totalLocal: 0 };
  for (const vm of vms) {
    const oci = isOci(vm);
    if (oci) out.totalOci++;
    else out.totalLocal++;
    if (!matchesFilter(vm, filter)) continue;
    (oci ? out.oci : out.local).push(vm);
  }
  return out;
}

export function statusCounts(vms: readonly Vm[]): Record<VmStatus, number> {
  const counts: Record<VmStatus, number> = { running: 0, stopped: 0, unknown: 0 };
  for (const vm of vms) counts[vm.status in counts ? vm.status : "unknown"]++;
  return counts;
}

export interface Page<T> {
  items: T[];
  /** Zero-based, clamped into range. */
  page: number;
  pages: number;
  total: number;
  first: number;
  last: number;
}

/**
 * One page of a list. Paging (rather than rendering everything) keeps 2,000 VMs cheap: the DOM
 * holds one page whatever the inventory size, and a poll touches only the rows on screen.
 */
export function pageOf<T>(items: readonly T[], page: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, Math.floor(page) || 0), pages - 1);
  const start = p * size;
  const slice = items.slice(start, start + size);
  return { items: slice, page: p, pages, total: items.length, first: slice.length ? start + 1 : 0, last: start + slice.length };
}

/** Names already taken, for "already exists" validation. */
export const vmNames = (vms: readonly Vm[]): Set<string> => new Set(vms.map((vm) => vm.name));

/** Sources a new VM can be created from: OCI images first, then local VMs. */
export function createSources(vms: readonly Vm[]): Vm[] {
  return [...vms.filter((vm) => isOci(vm)), ...vms.filter((vm) => !isOci(vm))];
}

export type SortKey = "name" | "status" | "cpu" | "memory" | "disk" | "size_on_disk" | "accessed";

export interface SortOrder {
  key: SortKey;
  dir: "asc" | "desc";
  /** Running VMs before the others, whatever the key. */
  runningFirst: boolean;
}

export const DEFAULT_SORT: SortOrder = { key: "name", dir: "asc", runningFirst: false };

export const SORT_LABELS: Record<SortKey, string> = {
  name: "Name",
  status: "Status",
  cpu: "CPU",
  memory: "Memory",
  disk: "Disk",
  size_on_disk: "On disk",
  accessed: "Last used",
};

/** "8G" → 8192 (MB), 8 → 8192; unparseable or missing → null. For sorting only. */
function megabytes(value: string | number | null | undefined): number | null {
  if (value == null || value === "") return null;
  if (typeof value === "number") return Number.isFinite(value) ? value * 1024 : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$/i.exec(value);
  if (!m) return null;
  const factor: Record<string, number> = { K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024, "": 1024 };
  return Number(m[1]) * (factor[(m[2] ?? "").toUpperCase()] ?? 1024);
}

const STATUS_RANK: Record<string, number> = { running: 0, suspended: 1, stopped: 2, unknown: 3 };

/** The value a VM is sorted by; null sorts last in either direction. */
function sortValue(vm: Vm, key: SortKey): number | string | null {
  switch (key) {
    case "name":
      return vm.name;
    case "status":
      return STATUS_RANK[vm.state === "suspended" ? "suspended" : vm.status] ?? 3;
    case "cpu":
      return vm.cpu ?? null;
    case "memory":
      return megabytes(vm.memory);
    case "disk":
      return megabytes(vm.disk_size);
    case "size_on_disk":
      return vm.size_on_disk ?? null;
    case "accessed": {
      const t = vm.accessed ? Date.parse(vm.accessed) : NaN;
      return Number.isNaN(t) ? null : t;
    }
  }
}

const isRunningVm = (vm: Vm) => vm.status === "running" || vm.state === "running";

/**
 * A sorted copy. Ties keep name order (the list arrives sorted by name and the sort is stable),
 * so equal CPU counts do not shuffle between polls.
 */
export function sortVms(vms: readonly Vm[], order: SortOrder): Vm[] {
  if (order.key === "name" && order.dir === "asc" && !order.runningFirst) return [...vms];
  const sign = order.dir === "asc" ? 1 : -1;
  const keyed = vms.map((vm) => ({ vm, v: sortValue(vm, order.key), r: isRunningVm(vm) ? 0 : 1 }));
  keyed.sort((a, b) => {
    if (order.runningFirst && a.r !== b.r) return a.r - b.r;
    if (a.v === b.v) return 0;
    if (a.v === null) return 1;
    if (b.v === null) return -1;
    return (a.v < b.v ? -1 : 1) * sign;
  });
  return keyed.map((k) => k.vm);
}

/** Clicking a column heading: the same key flips the direction, a new key starts ascending. */
export function toggleSort(order: SortOrder, key: SortKey): SortOrder {
  if (order.key === key) return { ...order, dir: order.dir === "asc" ? "desc" : "asc" };
  return { ...order, key, dir: "asc" };
}

/** A page number typed by a person (1-based) as a zero-based page in range, or null if not a number. */
export function pageFromInput(text: string, pages: number): number | null {
  const n = Number.parseInt(text.trim(), 10);
  if (!Number.isFinite(n)) return null;
  return Math.min(Math.max(1, n), Math.max(1, pages)) - 1;
}

export interface BulkPlan {
  /** Names the action applies to. */
  act: string[];
  /** Names it skips, each with why. */
  skip: { name: string; reason: string }[];
}

/**
 * What a bulk stop or delete does with the selected VMs: stop only running ones; delete only
 * stopped ones (tart deletes a running VM's files from under it). Busy VMs are skipped.
 */
export function bulkPlan(vms: readonly Vm[], selected: ReadonlySet<string>, action: "stop" | "delete"): BulkPlan {
  const plan: BulkPlan = { act: [], skip: [] };
  for (const vm of vms) {
    if (!selected.has(vm.name)) continue;
    const running = isRunningVm(vm) || (action === "stop" && vm.state === "suspended");
    if (vm.active_task_id) plan.skip.push({ name: vm.name, reason: "an operation is in progress" });
    else if (action === "stop" && !running) plan.skip.push({ name: vm.name, reason: "not running" });
    else if (action === "delete" && running) plan.skip.push({ name: vm.name, reason: "Stop the VM to delete it" });
    else plan.act.push(vm.name);
  }
  return plan;
}

/**
 * The stand-in for a VM or image that a pull, create or clone in flight will make: shown as a
 * card with the task's progress until the real one appears in the list.
 */
export function placeholderVm(name: string, image: boolean, taskId: string): Vm {
  return {
    name,
    status: "unknown",
    ip_address: null,
    source: image ? "OCI" : "local",
    os: null,
    cpu: null,
    memory: null,
    disk_size: null,
    display: null,
    state: null,
    kind: image ? "oci" : "local",
    size_on_disk: null,
    accessed: null,
    digest: null,
    active_task_id: taskId,
  };
}
