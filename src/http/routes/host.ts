/**
 * GET /api/host: the Mac's cores, memory, OS, tart's version, the free space of tart's volume,
 * the running macOS VMs against the limit of two, and the size of tart's caches (domain/host-report.ts).
 * POST /api/tart/prune: `tart prune` as a task (domain/prune.ts).
 */
import { Elysia } from "elysia";
import type { HostReport } from "../../domain/host-report.ts";
import type { TartPrune } from "../../domain/prune.ts";
import { toWire } from "../../domain/task.ts";
import { PruneBody } from "../models/host.ts";

export function hostRoutes(deps: { hostReport: HostReport; prune: TartPrune }) {
  return new Elysia({ name: "host" })
    .get("/api/host", () => deps.hostReport.current())
    .post("/api/tart/prune", ({ body }) => toWire(deps.prune.prune(body)), { body: PruneBody });
}
