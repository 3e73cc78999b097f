/**
 * The bounds a create request's CPU, memory (GB) and disk (GB) must fall within. Pure data, so
 * the server's schemas and the UI's as-you-type checks import the same numbers and cannot drift.
 * These are sanity bounds; the host's own cores and memory narrow them further per request.
 */
export const LIMITS = {
  cpu: { min: 1, max: 64 },
  memory: { min: 1, max: 512 },
  disk: { min: 1, max: 4096 },
} as const;

/**
 * tart's least for a macOS guest (the IPSW's `cpuCountMin` and `memorySizeMin`, 4 cores and 4 GB on
 * current macOS): below it `tart set` and `tart run` fail with LessThanMinimalResourcesError.
 */
export const MACOS_MINIMUM = { cpu: 4, memory: 4 } as const;
