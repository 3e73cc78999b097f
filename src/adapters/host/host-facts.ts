/**
 * The host's own size: how many cores and how much memory it has. A VM cannot get more vCPUs
 * than the host has cores (Virtualization.framework's maximumAllowedCPUCount is the host's
 * count) nor more memory than the host has, so create refuses such a request before tart runs,
 * and the UI shows the same numbers next to its fields.
 */
import { availableParallelism, totalmem } from "node:os";
import type { HostSize } from "../../domain/create-fit.ts";

export function readHostFacts(): HostSize {
  return { cpu_cores: availableParallelism(), memory_gb: Math.floor(totalmem() / 1024 ** 3) };
}
