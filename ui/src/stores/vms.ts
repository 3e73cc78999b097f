/**
 * The VM inventory as the UI holds it, and the pure functions over it: a reducer for what the
 * server said (poll, refresh, failure) and selectors that split the list into the "OCI images" and
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
  | { type: "taskFinished"; taskId: string };

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
