/**
 * Whether what a Create, Clone or Pull dialog is about to make fits this host, said before it is
 * sent: the free space of tart's volume (a pull writes the image's disk; a VM's disk can grow to
 * its full size, though APFS clones share blocks at first), Virtualization.framework's two
 * running macOS guests, and the host's cores and memory. Warnings, not errors: the server refuses
 * what cannot work (a pull that does not fit is a 507; too many cores a 422), these say what
 * would hurt. Built from GET /api/host (HostFacts). Pure, with unit tests.
 */
import type { HostFacts, VmImage } from "../api/types.ts";
import { formatBytes } from "./host-facts.ts";

export interface FitInput {
  /** Bytes written at once: an image pulled, an IPSW downloaded. */
  writesBytes?: number | null;
  /** The new VM's disk in GB: what it can grow to. */
  diskGb?: number | null;
  cpu?: number | null;
  memoryGb?: number | null;
  /** The new VM is a macOS guest. */
  macos?: boolean;
  /** It is started right away (a clone with "start after"). */
  startsNow?: boolean;
}

/** A host that keeps less than this share of its memory is warned about. */
const MEMORY_SHARE = 0.75;

export function fitWarnings(host: HostFacts | null | undefined, input: FitInput): string[] {
  if (!host) return [];
  const warnings: string[] = [];
  const free = host.disk.free_bytes;
  if (free !== null && input.writesBytes != null && input.writesBytes > free) {
    warnings.push(`It writes about ${formatBytes(input.writesBytes)}, but tart's volume has only ${formatBytes(free)} free: it will not fit.`);
  } else if (free !== null && input.diskGb != null && input.diskGb * 1e9 + (input.writesBytes ?? 0) > free) {
    warnings.push(`Its disk can grow to ${input.diskGb} GB, more than the ${formatBytes(free)} free on tart's volume: the volume may fill up.`);
  }
  const macs = host.macos_vms;
  if (input.macos && macs.running >= macs.limit) {
    const names = macs.names.length ? ` (${macs.names.join(", ")})` : "";
    warnings.push(
      input.startsNow
        ? `${macs.running} macOS VMs run already${names}, the most macOS allows: the start would fail until one stops.`
        : `${macs.running} macOS VMs run already${names}, the most macOS allows: it cannot start until one stops.`,
    );
  }
  if (input.cpu != null && input.cpu >= host.cpu_cores) warnings.push(`${input.cpu} cores is every core of the host (${host.cpu_cores}): the host slows down while it runs.`);
  if (input.memoryGb != null && input.memoryGb > host.memory_gb * MEMORY_SHARE) {
    warnings.push(`${input.memoryGb} GB of memory leaves the host less than a quarter of its ${host.memory_gb} GB.`);
  }
  return warnings;
}

/**
 * The bytes a pull of `reference` writes (the image's disk, which tart unpacks), when the catalogue
 * read that tag's manifest; else null (nothing to warn about).
 */
export function pulledBytes(images: readonly Pick<VmImage, "url" | "tag_details">[], reference: string): number | null {
  const ref = reference.trim();
  const slash = ref.lastIndexOf("/");
  const colon = ref.indexOf(":", slash);
  const repository = colon >= 0 ? ref.slice(0, colon) : ref;
  const tag = colon >= 0 ? ref.slice(colon + 1) : "latest";
  const details = images.find((image) => image.url === repository)?.tag_details?.[tag];
  return details ? (details.disk_bytes ?? details.download_bytes ?? null) : null;
}
