/**
 * Options for Bun.serve that the HTTP rules depend on. Bun answers a body over its
 * `maxRequestBodySize` itself, with a bare 413 and no body, before the app runs; so Bun's limit is
 * set out of reach and the app enforces the real cap (json-body.ts), answering in JSON like every
 * other error. Bun streams request bodies to the app, so a huge limit does not mean huge buffers:
 * the app reads at most MAX_BODY_BYTES of any body.
 */
export const SERVER_OPTIONS = {
  reusePort: false, // otherwise a second copy could bind the same port
  development: false,
  maxRequestBodySize: Number.MAX_SAFE_INTEGER,
} as const;
