/**
 * The fixed VM routes: the inventory (served from cache, never waiting on tart, with an ETag), the
 * categorised view, a refresh, the pull catalogue, and the create and pull tasks.
 */
import { Elysia, t } from "elysia";
import type { ImageCataloguePort } from "../../domain/image-catalogue.ts";
import { toWire } from "../../domain/task.ts";
import type { VmInventory } from "../../domain/vm-inventory.ts";
import type { VmOperations } from "../../domain/vm-operations.ts";
import { conditionalJson } from "../conditional.ts";
import { CreateBody, CreateScratchBody, PullBody } from "../models/vm.ts";
import { checkEmptyBody, validate } from "../validate.ts";
import { isScratchRequest } from "../../domain/create-from-scratch.ts";

export interface VmRouteDeps {
  inventory: VmInventory;
  operations: VmOperations;
  catalogue: ImageCataloguePort;
}

export function vmRoutes(deps: VmRouteDeps) {
  const { inventory, operations } = deps;
  return new Elysia({ name: "vms" })
    // Polled by the UI every few seconds: an ETag lets an unchanged list cost a 304, not the list.
    .get("/api/vms", ({ request }) => {
      const { json, hash } = inventory.listJson();
      return conditionalJson(request, json, hash);
    })
    .get("/api/vms/categorized", () => {
      const vms = inventory.list();
      return { base_images: vms.filter((vm) => vm.kind === "oci"), working_vms: vms.filter((vm) => vm.kind === "local") };
    })
    // The answer reflects tart at or after the request: a refresh already running may have read
    // tart before it, so this one is not joined (vm-inventory.ts, refreshFromNow).
    .post(
      "/api/vms/refresh",
      ({ body }) => {
        // Checked here, not as the route's schema: Elysia normalises [1] into a body that passes.
        checkEmptyBody(body);
        return inventory.refreshFromNow();
      },
    )
    // Never fails on a registry or on GitHub: the built-in images are always listed.
    .get("/api/vms/available-images", () => deps.catalogue.list())
    // A body with source_vm clones (as it always did); one with from_ipsw or linux creates from scratch.
    .post("/api/vms/create", async ({ body }) => toWire(await createFrom(operations, body)), { body: t.Unknown() })
    .post("/api/vms/pull", async ({ body }) => toWire(await operations.pullIfItFits(body.oci_url, body.force === true)), { body: PullBody });
}

/** The create a body asks for, checked by its own schema (the 422s of a source_vm body are as before). */
export function createFrom(operations: VmOperations, body: unknown) {
  return isScratchRequest(body) ? operations.createFromScratch(validate(CreateScratchBody, body)) : operations.create(validate(CreateBody, body));
}
