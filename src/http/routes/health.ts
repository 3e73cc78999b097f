/** GET /api/health: version, data dir, whether tart works, how fresh the inventory is, the host's size. */
import { Elysia } from "elysia";
import type { HostSize } from "../../domain/create-fit.ts";
import type { TartStatusProbe } from "../../domain/tart-status.ts";
import type { VmInventory } from "../../domain/vm-inventory.ts";
import type { Health } from "../models/health.ts";

export interface HealthDeps {
  version: string;
  dataDir: string;
  tartStatus: TartStatusProbe;
  inventory: Pick<VmInventory, "state">;
  host: HostSize;
}

/** The health as it stands; never waits on tart (a stale tart check is redone in the background). */
export function currentHealth(deps: HealthDeps): Health {
  return {
    status: "ok",
    version: deps.version,
    data_dir: deps.dataDir,
    tart: deps.tartStatus.cached(),
    inventory: deps.inventory.state(),
    host: deps.host,
  };
}

export function healthRoutes(deps: HealthDeps) {
  return new Elysia({ name: "health" }).get("/api/health", (): Health => currentHealth(deps));
}
