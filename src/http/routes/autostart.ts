/**
 * GET /api/autostart and POST /api/autostart: the VMs started when the server starts
 * (domain/autostart.ts). A separate route rather than a `/api/vms/{name}/…` action, so that no
 * new action word joins the ones an OCI reference in a path must be encoded around.
 */
import { Elysia } from "elysia";
import type { Autostart } from "../../domain/autostart.ts";
import { AutostartBody } from "../models/autostart.ts";

export function autostartRoutes(deps: { autostart: Autostart }) {
  return new Elysia({ name: "autostart" })
    .get("/api/autostart", () => ({ vms: deps.autostart.list() }))
    .post("/api/autostart", ({ body }) => ({ vms: deps.autostart.set(body.name, body.enabled) }), { body: AutostartBody });
}
