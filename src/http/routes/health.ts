/** GET /api/health: version, data dir, whether tart works, how fresh the inventory is, the host's size. */
import { Elysia } from "elysia";
import type { HostSize } from "../../domain/create-fit.ts";
import type { TartStatusProbe } from "../../domain/tart-status.ts";
import type { VmInventory } from "../../domain/vm-inventory.ts";
import type { Health } from "../models/health.ts";

export function healthRoutes(deps: { version: string; dataDir: string; tartStatus: TartStatusProbe; inventory: VmInventory; host: HostSize }) {
  // Never waits on tart: the answer is the last check's, and a stale one is redone in the background.
  return new Elysia({ name: "health" }).get(
    "/api/health",
    (): Health => ({
      status: "ok",
      version: deps.version,
      data_dir: deps.dataDir,
      tart: deps.tartStatus.cached(),
      inventory: deps.inventory.state(),
      host: deps.host,
    }),
  );
}
