/**
 * The wire form of `GET /api/health`. The UI imports this type (type-only), so a field added
 * here is a field the UI's compiler knows about.
 */
import type { HostSize } from "../../domain/create-fit.ts";
import type { TartStatus } from "../../domain/tart-status.ts";
import type { InventoryStatus } from "../../domain/vm-inventory.ts";

export interface Health {
  status: "ok";
  version: string;
  data_dir: string;
  tart: TartStatus;
  inventory: InventoryStatus;
  host: HostSize;
}
