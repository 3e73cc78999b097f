/**
 * What the OpenAPI document says about each route, keyed by "METHOD /path" (OpenAPI's `{param}`
 * form). One table rather than a `detail` on every route module: the routes stay about handling
 * requests, and a new route's documentation is one entry here. test/api/openapi.test.ts fails,
 * naming the key to add, when the app serves a route this table lacks (or the other way round).
 *
 * Bodies and queries are the very schemas the routes validate with (http/models/); answers are
 * the schemas of openapi/wire-schemas.ts. A family of routes with many entries keeps them in its own
 * file, spread in here (cluster-route-docs.ts, run-options-route-docs.ts).
 */
import { Type as T, type TSchema } from "@sinclair/typebox";
import { GithubTokenBody, RepositoriesBody } from "../models/settings.ts";
import { LoginBody, LogoutBody, PruneBody } from "../models/host.ts";
import { AutostartBody } from "../models/autostart.ts";
import { HistoryQuery } from "../models/task.ts";
import { CloneBody, ConfigQuery, CreateBody, CreateScratchBody, EmptyBody, PullBody, RenameBody, SettingsBody, StartBody, StopBody } from "../models/vm.ts";
import {
  CatalogueEntrySchema,
  GithubTokenStatusSchema,
  HealthSchema,
  HostFactsSchema,
  RegistryLoginSchema,
  TaskPageSchema,
  TaskSchema,
  TartVersionSchema,
  VmConfigSchema,
  VmSchema,
} from "./wire-schemas.ts";
import { CLUSTER_ROUTE_DOCS } from "./cluster-route-docs.ts";
import { RUN_OPTIONS_ROUTE_DOCS } from "./run-options-route-docs.ts";
import { EventStreamMessage, TaskStreamMessage } from "./ws-messages.ts";
import { CONSOLE_ROUTE_DOCS } from "./console-route-docs.ts";

export type Tag = "health" | "settings" | "tart" | "vms" | "vm actions" | "tasks" | "host and registries" | "autostart" | "websockets" | "operations" | "clusters";

/** What a 200 carries. */
export type Answer =
  | { json: TSchema }
  | { text: string }
  | { html: string }
  | { prometheus: string }
  /**
   * A websocket: the upgrade, then these messages from the server (none are read from the
   * client); the token goes in `?token=`, besides the query parameters given here.
   */
  | { websocket: TSchema; query: TSchema };

export interface RouteDoc {
  tag: Tag;
  summary: string;
  description?: string;
  /** The JSON body, when the route takes one. */
  body?: TSchema;
  /** Whether it must be sent; by default when the schema requires a field. */
  bodyRequired?: boolean;
  /** Query parameters, as the object schema the route validates them with. */
  query?: TSchema;
  answer: Answer;
  /** Statuses this route answers with besides 200 and the guard's (401, 403, 413, 415). */
  errors?: number[];
  /** Served without the token (the guard's Host and Origin checks still apply). */
  open?: true;
}

/** The routes that start a task: the same answer and the same refusals. */
const task = (summary: string, description: string, body: TSchema | undefined, errors: number[] = []): RouteDoc => ({
  tag: "vm actions",
  summary,
  description: `${description} Answers at once with the Task; follow it at GET /api/tasks/{id} or /ws/tasks/{id}.`,
  ...(body ? { body } : {}),
  answer: { json: TaskSchema },
  errors: [404, 409, 422, 503, ...errors],
});

const none = EmptyBody;
/** The route picks the schema by the body: one with `source_vm` clones, one with `from_ipsw` or `linux` creates from scratch. */
const createBody = T.Union([CreateBody, CreateScratchBody], { description: "a clone of `source_vm`, or a create from scratch" });
const vmList = T.Array(VmSchema);

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  ...CONSOLE_ROUTE_DOCS,
  "GET /api/health": {
    tag: "health",
    summary: "Version, tart, inventory freshness, host size",
    description: "Never waits on tart: it answers with the last look and looks again in the background.",
    answer: { json: HealthSchema },
  },
  "GET /api/settings/github-token": {
    tag: "settings",
    summary: "Whether a GitHub token is set (masked, never the token)",
    answer: { json: GithubTokenStatusSchema },
  },
  "POST /api/settings/github-token": {
    tag: "settings",
    summary: "Set (checked with GitHub first) or clear (\"\") the catalogue's GitHub token",
    body: GithubTokenBody,
    answer: { json: GithubTokenStatusSchema },
    errors: [400, 422, 507],
  },
  "GET /api/settings/repositories": {
    tag: "settings",
    summary: "The repositories added to the catalogue",
    answer: { json: T.Object({ repositories: T.Array(T.String()) }) },
  },
  "POST /api/settings/repositories": {
    tag: "settings",
    summary: "Replace the added repositories (each new one is asked first)",
    body: RepositoriesBody,
    answer: { json: T.Object({ repositories: T.Array(T.String()) }) },
    errors: [400, 422, 507],
  },
  "GET /api/tart/version": {
    tag: "tart",
    summary: "tart's version and path",
    answer: { json: TartVersionSchema },
    errors: [503],
  },
  "GET /api/vms": {
    tag: "vms",
    summary: "The inventory",
    description: "Served from memory, never waiting on tart. Carries an ETag: send it back as If-None-Match and an unchanged list answers 304 with no body.",
    answer: { json: vmList },
    errors: [304],
  },
  "GET /api/vms/categorized": {
    tag: "vms",
    summary: "The inventory split into OCI images and local VMs",
    answer: { json: T.Object({ base_images: vmList, working_vms: vmList }) },
  },
  "POST /api/vms/refresh": {
    tag: "vms",
    summary: "Ask tart now; the list read after the request arrived",
    body: none,
    answer: { json: vmList },
    errors: [422, 502, 503, 504],
  },
  "GET /api/vms/available-images": {
    tag: "vms",
    summary: "The pull catalogue (needs no GitHub token)",
    description: "Never fails because a registry or GitHub does: an image that could not be asked for keeps its last tags and says why in `error`.",
    answer: { json: T.Array(CatalogueEntrySchema) },
  },
  "POST /api/vms/pull": {
    ...task("Pull an OCI image (task)", "`tart pull`, retried after network errors.", PullBody, [507]),
    tag: "vms",
  },
  "POST /api/vms/create": {
    ...task(
      "Clone and size a VM, or create one from an IPSW or empty Linux (task)",
      "With `source_vm`: `tart clone`, then `tart set` for the sizes given. With `from_ipsw` or `linux` instead (from scratch): " +
        "`tart create`, then `tart set` for cpu and memory; a create from an IPSW reports its download and install in `install_progress`.",
      createBody,
      [507],
    ),
    tag: "vms",
    bodyRequired: true,
  },
  "GET /api/vms/{name}": {
    tag: "vms",
    summary: "One VM",
    answer: { json: VmSchema },
    errors: [404, 422],
  },
  "GET /api/vms/{name}/config": {
    tag: "vms",
    summary: "A local VM's config (`tart get`)",
    query: ConfigQuery,
    answer: { json: VmConfigSchema },
    errors: [404, 409, 422, 502, 503, 504],
  },
  "POST /api/vms/{name}/start": task("Start a VM (task)", "`tart run` in the background; the task ends when the VM has an IP.", StartBody),
  "POST /api/vms/{name}/stop": task("Stop a VM (task)", "`tart stop`; `force` stops at once and kills a run that hangs.", StopBody),
  "POST /api/vms/{name}/suspend": task("Suspend a running macOS VM (task)", "`tart suspend`; the VM must have been started suspendable.", none),
  "POST /api/vms/{name}/rename": task("Rename a stopped VM (task)", "`tart rename`.", RenameBody),
  "POST /api/vms/{name}/settings": {
    ...task("Change CPU, memory, display, disk, MAC, serial (task)", "`tart set`; give at least one field.", SettingsBody),
    bodyRequired: true,
  },
  ...RUN_OPTIONS_ROUTE_DOCS,
  "POST /api/vms/{name}/delete": task("Delete a VM or image (task)", "`tart delete`.", none),
  "POST /api/vms/{name}/clone": task("Clone a VM or image (task)", "`tart clone`, optionally started after.", CloneBody, [507]),
  "GET /api/tasks/active": {
    tag: "tasks",
    summary: "Tasks not finished",
    answer: { json: T.Array(TaskSchema) },
  },
  "GET /api/tasks": {
    tag: "tasks",
    summary: "Task history, newest first, a page at a time",
    query: HistoryQuery,
    answer: { json: TaskPageSchema },
    errors: [422],
  },
  "GET /api/tasks/{id}": {
    tag: "tasks",
    summary: "One task",
    answer: { json: TaskSchema },
    errors: [404],
  },
  "GET /api/tasks/{id}/log": {
    tag: "tasks",
    summary: "A task's whole log",
    answer: { text: "every line the task logged, in order" },
    errors: [404],
  },
  "POST /api/tasks/{id}/retry": {
    tag: "tasks",
    summary: "Run a failed task again (a new task)",
    body: none,
    answer: { json: TaskSchema },
    errors: [404, 409, 422, 503],
  },
  "POST /api/tasks/{id}/cancel": {
    tag: "tasks",
    summary: "Stop a pull, clone or create; answers once it has ended",
    body: none,
    answer: { json: TaskSchema },
    errors: [404, 409, 422],
  },
  "GET /api/host": {
    tag: "host and registries",
    summary: "Cores, memory, OS, free disk, macOS VMs of 2, cache sizes",
    answer: { json: HostFactsSchema },
  },
  "POST /api/tart/prune": {
    ...task("`tart prune` by age and/or space budget (task)", "Runs `tart prune`.", PruneBody),
    tag: "host and registries",
    errors: [409, 422, 503],
  },
  "GET /api/registries": {
    tag: "host and registries",
    summary: "The registries this server logged in to (never a password)",
    answer: { json: T.Object({ registries: T.Array(RegistryLoginSchema) }) },
  },
  "POST /api/registries/login": {
    ...task("`tart login`, the password on tart's standard input (task)", "The password is never logged, stored or echoed.", LoginBody),
    tag: "host and registries",
    errors: [409, 422, 503],
  },
  "POST /api/registries/logout": {
    ...task("`tart logout` (task)", "Runs `tart logout`.", LogoutBody),
    tag: "host and registries",
    errors: [409, 422, 503],
  },
  "GET /api/autostart": {
    tag: "autostart",
    summary: "The VMs the server starts when it starts",
    description: "In the order they were marked; kept in `<data-dir>/autostart.json`.",
    answer: { json: T.Object({ vms: T.Array(T.String()) }) },
  },
  "POST /api/autostart": {
    tag: "autostart",
    summary: "Mark or unmark a local VM to start when the server starts",
    description: "Answers with the new list. After its first look at tart, each server start starts every marked VM that exists and is not running, as a start_vm task.",
    body: AutostartBody,
    answer: { json: T.Object({ vms: T.Array(T.String()) }) },
    errors: [404, 422],
  },
  ...CLUSTER_ROUTE_DOCS,
  "GET /ws/tasks/{id}": {
    tag: "websockets",
    summary: "One task's updates (websocket)",
    description:
      "The current Task at once, then the Task after each change (at most one message per 10 ms), then a normal close (1000) " +
      "after the completed or failed Task. `mode=delta`: each message carries only the new log lines, `log_offset` saying where they start. " +
      "Closes 1001 when the server shuts down.",
    answer: { websocket: TaskStreamMessage, query: T.Object({ mode: T.Optional(T.Literal("delta", { description: "send only the new log lines" })) }) },
    errors: [404],
  },
  "GET /ws/events": {
    tag: "websockets",
    summary: "Every change: VMs, tasks, health (websocket)",
    description:
      "Without `since` the first message is `hello`: load the state over the REST API, then apply the events that follow. " +
      "With `since` the events after that id come at once, or `resync` when they are no longer kept (load everything again and go on from its id). " +
      "A client too slow to read is sent `resync` once it has drained.",
    answer: {
      websocket: EventStreamMessage,
      query: T.Object({ since: T.Optional(T.String({ pattern: "^\\d{1,16}$", description: "the id of the last event seen" })) }),
    },
    errors: [422],
  },
  "GET /openapi.json": {
    tag: "operations",
    summary: "This document (OpenAPI 3.1)",
    answer: { json: T.Object({ openapi: T.String() }, { additionalProperties: true }) },
    open: true,
  },
  "GET /docs": {
    tag: "operations",
    summary: "The interactive API reference (Swagger UI, served from the binary)",
    answer: { html: "the reference page; its \"Try it out\" sends the token this browser signed in with" },
    open: true,
  },
  "GET /metrics": {
    tag: "operations",
    summary: "Prometheus metrics: VMs by state, tasks and tart calls with durations",
    answer: { prometheus: "the Prometheus text exposition format, version 0.0.4" },
  },
};
