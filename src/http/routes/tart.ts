/** GET /api/tart/version: the installed Tart's version, or 503 with how to install it. */
import { Elysia } from "elysia";
import { AppError } from "../../domain/errors.ts";
import type { TartStatusProbe } from "../../domain/tart-status.ts";

export function tartRoutes(deps: { tartStatus: TartStatusProbe }) {
  return new Elysia({ name: "tart" }).get("/api/tart/version", async () => {
    const status = await deps.tartStatus.check();
    if (!status.available) throw new AppError("tart_unavailable", status.error ?? "tart is not available");
    return { version: status.version, path: status.path };
  });
}
