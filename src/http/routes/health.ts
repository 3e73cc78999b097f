/** GET /api/health: version, data dir, whether tart works, and how fresh the inventory is. */
import { Elysia } from "elysia";
import type { TartStatusProbe } from "../../domain/tart-status.ts";
import type { VmInventory } from "../../domain/vm-inventory.ts";

export function healthRoutes(deps: { version: string; dataDir: string; tartStatus: TartStatusProbe; inventory: VmInventory }) {
  // Never waits on tart: the answer is the last check's, and a stale one is redone in the background.
  return new Elysia({ name: "health" }).get("/api/health", () => ({
    status: "ok",
    version: deps.version,
    data_dir: deps.dataDir,
    tart: deps.tartStatus.cached(),
    inventory: deps.inventory.state(),
  }));
}
