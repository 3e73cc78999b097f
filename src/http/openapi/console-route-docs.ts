/**
 * The OpenAPI entries of the console and shell routes (routes/console.ts, ws/console-proxy.ts,
 * ws/shell-stream.ts), merged into route-docs.ts's table. Their websockets take a one-time
 * `ticket`, not the token; they carry binary frames (RFB, or terminal bytes).
 */
import { Type as T } from "@sinclair/typebox";
import { EmptyBody } from "../models/vm.ts";
import { CredentialsBody } from "../models/console.ts";
import type { RouteDoc } from "./route-docs.ts";

const ticketFields = {
  ticket: T.String({ description: "one-time, 256 random bits, valid expires_in seconds, for this VM only" }),
  ws_url: T.String({ description: "the websocket's path, ticket included" }),
  expires_in: T.Integer(),
};
export const ConsoleTicketSchema = T.Object({
  ...ticketFields,
  mode: T.Union([T.Literal("vnc-experimental"), T.Literal("screen-sharing")]),
  credentials: T.Optional(T.Union([T.Object({ username: T.String(), password: T.String() }), T.Null()], { description: "screen-sharing only: the login remembered for this VM" })),
});
export const ShellTicketSchema = T.Object({ ...ticketFields, shell: T.String() });
const Remembered = T.Object({ remembered: T.Boolean() });
const binary = (what: string) => T.String({ format: "binary", description: what });
const CLOSES = "Close codes: 4000 VM stopped, 4001 upstream auth failed, 4003 replaced by another viewer, 4004 too slow, 4005 shell ended, 1003 text frame, 1011 unreachable.";

export const CONSOLE_ROUTE_DOCS: Record<string, RouteDoc> = {
  "POST /api/vms/{name}/console": {
    tag: "vm actions",
    summary: "A one-time ticket for the VM's console websocket",
    description: 'vnc-experimental for a VM started here with {"console": true} (the server logs in to tart\'s VNC server), screen-sharing for a running macOS guest (its own Screen Sharing; the viewer logs in). 409 says why there is no console.',
    body: EmptyBody,
    answer: { json: ConsoleTicketSchema },
    errors: [404, 409],
  },
  "GET /api/vms/{name}/console/ws": {
    tag: "websockets",
    summary: "The VM's screen: RFB over a websocket (ticket, exact Origin)",
    description: `Binary RFB frames both ways, relayed with back-pressure; one viewer per VM. Refused with 403 unless Host and Origin are the server's own and the ticket is live. ${CLOSES}`,
    answer: { websocket: binary("RFB"), query: T.Object({ ticket: T.String() }) },
    errors: [404, 409],
  },
  "PUT /api/vms/{name}/console/credentials": {
    tag: "vm actions",
    summary: "Remember a macOS guest's Screen Sharing login (0600)",
    body: CredentialsBody,
    answer: { json: Remembered },
    errors: [404, 422],
  },
  "DELETE /api/vms/{name}/console/credentials": {
    tag: "vm actions",
    summary: "Forget it",
    answer: { json: Remembered },
    errors: [404],
  },
  "POST /api/vms/{name}/shell": {
    tag: "vm actions",
    summary: "A one-time ticket for a shell in the guest (tart exec)",
    description: "409 when the VM is not running or its guest agent does not answer; the detail then names the ssh command.",
    body: EmptyBody,
    answer: { json: ShellTicketSchema },
    errors: [404, 409],
  },
  "GET /api/vms/{name}/shell/ws": {
    tag: "websockets",
    summary: "A terminal on `tart exec -i -t NAME <shell>` (ticket, exact Origin)",
    description: `Binary frames carry terminal bytes both ways; a text frame {"type":"resize","cols","rows"} resizes. ${CLOSES}`,
    answer: { websocket: binary("terminal bytes"), query: T.Object({ ticket: T.String(), cols: T.Optional(T.String()), rows: T.Optional(T.String()) }) },
  },
};
