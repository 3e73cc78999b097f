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
