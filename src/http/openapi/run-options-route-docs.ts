/**
 * What the OpenAPI document says about a VM's run options (docs/API.md "Run options"), spread
 * into route-docs.ts's ROUTE_DOCS. The PUT body is the schema the route validates with
 * (http/models/run-options.ts); the answer is run-options-wire-schemas.ts's.
 */
import { RunOptionsBody } from "../models/run-options.ts";
import type { RouteDoc } from "./route-docs.ts";
import { RunOptionsSchema } from "./run-options-wire-schemas.ts";

export const RUN_OPTIONS_ROUTE_DOCS: Record<string, RouteDoc> = {
  "GET /api/vms/{name}/run-options": {
    tag: "vms",
    summary: "The run options kept for a local VM, and the `tart run` they make",
    description:
      "What every start passes to `tart run` besides `--vnc --no-graphics` (tart keeps none of them between runs, so this server does). " +
      "404 for an unknown VM, 409 for an OCI image.",
    answer: { json: RunOptionsSchema },
    errors: [404, 409, 422],
  },
  "PUT /api/vms/{name}/run-options": {
    tag: "vms",
    summary: "Replace a VM's run options (`{}` forgets them)",
    description:
      "Checked before anything is stored, with tart's rules, this host's folders and interfaces and the tart version in use; " +
      "refused whole with a 422 naming the field (an unknown field too). The VM may be running: the options apply at its next start, " +
      "and every start checks them again (409 when one no longer holds). A clone does not copy them. Answers as GET.",
    body: RunOptionsBody,
    answer: { json: RunOptionsSchema },
    errors: [404, 409],
  },
};
