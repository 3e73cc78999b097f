/**
 * GET /metrics: Prometheus's text format (metrics/server-metrics.ts). Behind the token like /api
 * (the guard's TOKEN_PATHS): VM counts and task activity say what a machine is doing.
 */
import { Elysia } from "elysia";
import type { ServerMetrics } from "../../metrics/server-metrics.ts";

export function metricsRoutes(deps: { metrics: ServerMetrics }) {
  return new Elysia({ name: "metrics" }).get(
    "/metrics",
    async () => new Response(await deps.metrics.text(), { headers: { "content-type": deps.metrics.contentType, "cache-control": "no-store" } }),
  );
}
