/**
 * What the OpenAPI document says about the Orchard cluster routes (docs/API.md "Clusters"),
 * spread into route-docs.ts's ROUTE_DOCS. Bodies are the schemas routes/clusters.ts validates
 * with (http/models/cluster.ts); answers are cluster-wire-schemas.ts's.
 */
import { Type as T } from "@sinclair/typebox";
import { AddClusterBody, CreateClusterVmBody, InspectClusterBody } from "../models/cluster.ts";
import { EmptyBody } from "../models/vm.ts";
import { ClusterInspectSchema, ClusterSchema, ClusterVmSchema, ClusterWorkerSchema } from "./cluster-wire-schemas.ts";
import { ConsoleTicketSchema, ShellTicketSchema } from "./console-route-docs.ts";
import type { RouteDoc } from "./route-docs.ts";
import { TaskSchema } from "./wire-schemas.ts";

/**
 * What a controller's answer can become (docs/API.md): its 412 and 400 → 422, 409/408/417 → 409,
 * a refused service account → 400, its 404 (or a `{cluster}` that names none) → 404, unreachable
 * or untrusted → 502, no answer → 504.
 */
const CONTROLLER = [400, 404, 409, 422, 502, 504];
const TASK_NOTE = "Answers with the Task (`vm_name` is `\"<cluster>/<name>\"`, `command` null); follow it at GET /api/tasks/{id} or /ws/tasks/{id}.";

export const CLUSTER_ROUTE_DOCS: Record<string, RouteDoc> = {
  "GET /api/clusters": {
    tag: "clusters",
    summary: "The clusters (Orchard's CLI contexts and those added here), each with its health",
    description: "Always 200: a controller that is down is a `health.state`. Health is asked at most every 5 s per cluster, with a 3 s limit.",
    answer: { json: T.Object({ clusters: T.Array(ClusterSchema) }) },
  },
  "POST /api/clusters/inspect": {
    tag: "clusters",
    summary: "What a controller presents (its certificate) before it is added",
    description: "The url is normalised as `orchard context create` does: https and port 6120 when not given. 502 when nothing answers TLS.",
    body: InspectClusterBody,
    answer: { json: ClusterInspectSchema },
    errors: [502, 504],
  },
  "POST /api/clusters": {
    tag: "clusters",
    summary: "Add a cluster (checked with its controller first)",
    description:
      "The controller must answer GET /v1/controller/info with the service account given (else 400 naming it, or 502/504). " +
      "A certificate the system does not trust is pinned only when `certificate_fingerprint` matches it; without it the answer is 409, " +
      "its detail carrying the fingerprint to compare (trust on first use). 409 too for a name already taken.",
    body: AddClusterBody,
    answer: { json: ClusterSchema },
    errors: [400, 409, 502, 504],
  },
  "DELETE /api/clusters/{cluster}": {
    tag: "clusters",
    summary: "Forget an added cluster",
    description: "409 for one of Orchard's CLI contexts (remove it with `orchard context delete`).",
    answer: { json: T.Object({ removed: T.String({ description: "the cluster's name" }) }) },
    errors: [404, 409],
  },
  "GET /api/clusters/{cluster}/workers": {
    tag: "clusters",
    summary: "A cluster's workers, sorted by name",
    answer: { json: T.Object({ workers: T.Array(ClusterWorkerSchema) }) },
    errors: CONTROLLER,
  },
  "POST /api/clusters/{cluster}/workers/{worker}/pause": {
    tag: "clusters",
    summary: "Pause scheduling on a worker (its VMs keep running)",
    description: "GET, modify, PUT, as `orchard pause worker`: no new VM is placed there. 404 for no such worker.",
    body: EmptyBody,
    answer: { json: ClusterWorkerSchema },
    errors: CONTROLLER,
  },
  "POST /api/clusters/{cluster}/workers/{worker}/resume": {
    tag: "clusters",
    summary: "Resume scheduling on a worker",
    body: EmptyBody,
    answer: { json: ClusterWorkerSchema },
    errors: CONTROLLER,
  },
  "GET /api/clusters/{cluster}/vms": {
    tag: "clusters",
    summary: "A cluster's VMs, sorted by name",
    description: "One GET /v1/vms per cluster answers every request arriving within a second (coalesced). Carries an ETag: send it back as If-None-Match and an unchanged list answers 304 with no body.",
    answer: { json: T.Object({ vms: T.Array(ClusterVmSchema) }) },
    errors: [304, ...CONTROLLER],
  },
  "POST /api/clusters/{cluster}/vms": {
    tag: "clusters",
    summary: "Create a VM on a cluster (task)",
    description:
      "`memory` is in GB, as POST /api/vms/create, and sent as MiB. The controller is asked first, so its refusals answer this request " +
      "(409 `VM with this name already exists`, 422 with its 412 message); then a `create_cluster_vm` task follows the VM through the " +
      "controller's watch stream and completes when it runs (`result`: `{\"cluster\", \"vm\": ClusterVM}`). " +
      `The password goes to the controller and into no task. ${TASK_NOTE}`,
    body: CreateClusterVmBody,
    answer: { json: TaskSchema },
    errors: CONTROLLER,
  },
  "POST /api/clusters/{cluster}/vms/{name}/stop": {
    tag: "clusters",
    summary: "Stop a cluster VM, one way (task)",
    description:
      "Sets Orchard's `powerState` to `stopped`: Orchard cannot run that VM again. A `stop_cluster_vm` task that completes once the worker " +
      `has observed the change. 422 with the controller's message for a VM already stopped or failed. ${TASK_NOTE}`,
    body: EmptyBody,
    answer: { json: TaskSchema },
    errors: CONTROLLER,
  },
  "DELETE /api/clusters/{cluster}/vms/{name}": {
    tag: "clusters",
    summary: "Delete a cluster VM and its events (task)",
    description: `A \`delete_cluster_vm\` task. ${TASK_NOTE}`,
    answer: { json: TaskSchema },
    errors: CONTROLLER,
  },
  "POST /api/clusters/{cluster}/vms/{name}/console": {
    tag: "clusters",
    summary: "A one-time ticket for a cluster VM's console websocket",
    description:
      "The same answer as POST /api/vms/{name}/console, always in `screen-sharing` mode (the viewer logs in to the guest's VNC server). " +
      "The controller is asked for the VM first: 404 for none, 409 with its state when it is not running.",
    body: EmptyBody,
    answer: { json: ConsoleTicketSchema },
    errors: CONTROLLER,
  },
  "GET /api/clusters/{cluster}/vms/{name}/console/ws": {
    tag: "websockets",
    summary: "A cluster VM's screen: RFB through the controller's port-forward (ticket, exact Origin)",
    description:
      "Binary RFB both ways, relayed with back-pressure to `GET /v1/vms/{name}/port-forward?port=5900` on the controller. Refused with 403 unless " +
      "Host and Origin are the server's own and the ticket is live. Close codes: 4006 not running on its worker (Orchard's 408), 4007 terminal state (417), " +
      "4008 no such VM any more (404), 4003 replaced by another viewer, 4004 too slow, 1011 controller or worker unreachable.",
    answer: { websocket: T.String({ format: "binary", description: "RFB" }), query: T.Object({ ticket: T.String() }) },
    errors: [403],
  },
  "POST /api/clusters/{cluster}/vms/{name}/shell": {
    tag: "clusters",
    summary: "A one-time ticket for a cluster VM's shell websocket",
    description:
      "The same answer as POST /api/vms/{name}/shell, `shell` being `login shell` (the guest user's, as the controller's SSH login gives it). " +
      "The controller is asked for the VM first: 404 for none, 409 with its state when it is not running.",
    body: EmptyBody,
    answer: { json: ShellTicketSchema },
    errors: CONTROLLER,
  },
  "GET /api/clusters/{cluster}/vms/{name}/shell/ws": {
    tag: "websockets",
    summary: "A terminal on a cluster VM's login shell through the controller's exec (ticket, exact Origin)",
    description:
      "The local shell socket's protocol: binary terminal bytes both ways, a text frame {\"type\":\"resize\",\"cols\",\"rows\"} resizes, 4005 with the exit code when the shell ends. " +
      "Upstream it is `GET /v1/vms/{name}/exec?command=…&tty=true` on the controller (JSON frames, base64). Refused with 403 unless Host and Origin are the server's own " +
      "and the ticket is live. Close codes: 4006 not running on its worker (Orchard's 408), 4007 terminal state (417), 4008 no such VM any more (404), " +
      "4004 too slow, 1011 controller unreachable or its SSH login to the VM failed (503).",
    answer: { websocket: T.String({ format: "binary", description: "terminal bytes" }), query: T.Object({ ticket: T.String(), cols: T.Optional(T.String()), rows: T.Optional(T.String()) }) },
    errors: [403],
  },
};
