/**
 * Whether a create request can succeed on this host, checked before any tart call. tart would
 * clone first and fail only at `set` (then the half-made VM is deleted), so a request that
 * cannot work is refused at once with the field and the limit: a VM gets at most the host's
 * cores (Virtualization.framework's maximum CPU count) and memory, and tart can only grow a disk.
 */
import { invalid } from "./errors.ts";
import { MACOS_MINIMUM } from "./limits.ts";

/** The host's size (adapters/host reads it; GET /api/health shows it). */
export interface HostSize {
  /** Logical cores. */
  cpu_cores: number;
  /** Physical memory in whole GB (GiB, as tart and the API count memory), rounded down. */
  memory_gb: number;
}

export interface CreateSizes {
  cpu?: number | null;
  memory?: number | null;
  disk_size?: number | null;
}

/** Throws a 422 when the cores or memory asked for exceed the host's. */
export function checkHostFits(request: CreateSizes, host: HostSize): void {
  if (request.cpu != null && request.cpu > host.cpu_cores) {
    throw invalid(`cpu: the host has ${host.cpu_cores} cores; a VM cannot have more`);
  }
  if (request.memory != null && request.memory > host.memory_gb) {
    throw invalid(`memory: the host has ${host.memory_gb} GB of memory; a VM cannot have more`);
  }
}

/** Throws a 422 when the disk asked for is smaller than the source's; null: not known (an unpulled image). */
export function checkDiskFits(request: CreateSizes, sourceDiskGB: number | null): void {
  if (request.disk_size != null && sourceDiskGB != null && request.disk_size < sourceDiskGB) {
    throw invalid(`disk_size: the source's disk is ${sourceDiskGB} GB; tart can only grow a disk`);
  }
}

/**
 * Throws a 422 when a macOS guest (`os` "darwin", as config.json says) is asked for fewer cores
 * or less memory than tart gives one; other guests and an OS not known yet are tart's to judge.
 */
export function checkGuestMinimum(request: CreateSizes, os: string | null | undefined): void {
  if (os !== "darwin") return;
  if (request.cpu != null && request.cpu < MACOS_MINIMUM.cpu) throw invalid(`cpu: a macOS VM needs at least ${MACOS_MINIMUM.cpu} cores`);
  if (request.memory != null && request.memory < MACOS_MINIMUM.memory) throw invalid(`memory: a macOS VM needs at least ${MACOS_MINIMUM.memory} GB of memory`);
}
