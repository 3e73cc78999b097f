/**
 * The answers' wire shapes as TypeBox schemas, for the OpenAPI document. The request bodies are
 * already schemas (http/models/), which the routes validate with; the answers are TypeScript
 * interfaces in the domain. Each schema here is tied to its interface by `Same<…>` at the bottom:
 * a field added to, removed from or retyped in the interface fails `tsc` until its schema follows,
 * and test/api/openapi.test.ts checks real answers against these schemas.
 */
import { Type as T, type Static, type TLiteral, type TSchema, type TUnion } from "@sinclair/typebox";
import type { HostSize } from "../../domain/create-fit.ts";
import type { HostFacts } from "../../domain/host-report.ts";
import type { CatalogueEntry } from "../../domain/image-catalogue.ts";
import type { PullProgress } from "../../domain/pull-progress.ts";
import type { RegistryLogin } from "../../domain/registry-logins.ts";
import type { TartStatus } from "../../domain/tart-status.ts";
import type { TaskAction, TaskWire } from "../../domain/task.ts";
import type { InventoryStatus } from "../../domain/vm-inventory.ts";
import type { Vm } from "../../domain/vm.ts";
import type { GithubTokenStatus } from "../../storage/github-token.ts";
import type { Health } from "../models/health.ts";

const Nullable = <S extends TSchema>(schema: S, description?: string) => T.Union([schema, T.Null()], description ? { description } : {});
/** One of these strings (a union of literals, which TypeBox checks and its Static types exactly). */
const literals = <const L extends readonly string[]>(values: L, description?: string) =>
  T.Union(values.map((value) => T.Literal(value)), description ? { description } : {}) as unknown as TUnion<TLiteral<L[number]>[]>;

export const ErrorSchema = T.Object(
  { detail: T.String({ description: "A sentence meant for a person; for a 422 it starts with the field (`cpu: …`)" }) },
  { description: "Every error, whatever its status" },
);

export const VmSchema = T.Object(
  {
    name: T.String({ description: "the VM's name, or the image's OCI reference" }),
    status: literals(["running", "stopped", "unknown"] as const, "a suspended VM is `stopped` here; see `state`"),
    ip_address: Nullable(T.String(), "the guest's address while it runs"),
    source: Nullable(T.String(), "`local` or `oci`"),
    os: Nullable(T.String(), "`darwin` or `linux` (from the VM's config)"),
    cpu: Nullable(T.Number(), "cores"),
    memory: Nullable(T.String(), "e.g. `8G`"),
    disk_size: T.Union([T.Number(), T.String(), T.Null()], { description: "e.g. `50G`" }),
    display: Nullable(T.String(), "e.g. `1024x768`"),
    state: Nullable(literals(["running", "suspended", "stopped"] as const), "tart's own state"),
    kind: literals(["oci", "local"] as const, "which section the VM belongs to"),
    size_on_disk: Nullable(T.Number(), "GB actually allocated"),
    accessed: Nullable(T.String(), "ISO 8601, when tart last touched the VM"),
    digest: Nullable(T.String(), "an image's `sha256:…`"),
    active_task_id: Nullable(T.String(), "the task operating on the VM now"),
    suspendable: Nullable(T.Boolean(), "while it runs: whether this server started it suspendable"),
  },
  { description: "One entry of the inventory: a local VM or an OCI image in tart's cache" },
);

export const VmConfigSchema = T.Object(
  {
    name: T.String(),
    cpu: Nullable(T.Number(), "cores"),
    memory: Nullable(T.String(), "e.g. `8G`"),
    disk_size: Nullable(T.String(), "e.g. `50G`"),
    display: Nullable(T.String(), "e.g. `1024x768`, or `1920x1080px`"),
    raw: T.Record(T.String(), T.Unknown(), { description: "exactly what `tart get NAME --format json` printed" }),
  },
  { description: "`tart get NAME --format json`, with two fields normalised" },
);

export const PullProgressSchema = T.Object(
  {
    phase: literals(["lock", "manifest", "disk", "nvram", "dedupe", "cached", "retrying", "done"] as const),
    percent: Nullable(T.Number(), "0–100, from tart's progress lines"),
    bytes_total: Nullable(T.Number(), "the compressed download in bytes"),
    bytes_done: Nullable(T.Number()),
    bytes_per_second: Nullable(T.Number(), "over about the last 10 s"),
    eta_seconds: Nullable(T.Number()),
    attempt: T.Number({ description: "1 for the first tart run, 2, 3, … for automatic retries" }),
    retry_at: Nullable(T.Number(), "while retrying: the Unix time (seconds) the next attempt starts"),
  },
  { description: "What a pull is doing, read from tart's own output" },
);

const TASK_ACTIONS = [
  "start_vm", "stop_vm", "delete_vm", "clone_vm", "create_vm", "pull_vm", "suspend_vm", "rename_vm", "settings_vm",
  "prune", "registry_login", "registry_logout",
] as const;

export const TaskSchema = T.Object(
  {
    id: T.String({ description: "a UUID" }),
    action: literals(TASK_ACTIONS),
    status: literals(["pending", "running", "completed", "failed"] as const),
    vm_name: Nullable(T.String(), "the VM the task is about (for a clone, the new VM; for a registry login, the host)"),
    command: Nullable(T.Array(T.String()), "the tart command line; for a failed task, the step that failed"),
    exit_code: Nullable(T.Number()),
    result: Nullable(T.Record(T.String(), T.Unknown()), "what a completed task produced (a start's `ip_address`, …)"),
    error: Nullable(T.String(), "why it failed, in tart's words where tart said why"),
    stderr: Nullable(T.String(), "the failed command's standard error"),
    progress: Nullable(T.Number(), "0–100 while a pull reports percentages"),
    pull_progress: Nullable(PullProgressSchema),
    created_at: T.Number({ description: "Unix time in seconds (fractional)" }),
    updated_at: T.Number({ description: "Unix time in seconds (fractional)" }),
    logs: T.Array(T.String(), { description: "the newest 2,000 lines; the whole log is at GET /api/tasks/{id}/log" }),
    log_offset: T.Optional(T.Number({ description: "only in incremental websocket messages: the index of logs[0] in the whole log" })),
  },
  { description: "An operation; the routes that start one answer at once with it" },
);

export const TaskPageSchema = T.Object({
  tasks: T.Array(TaskSchema),
  next_before: Nullable(T.Number(), "the `before` of the next page, or null on the last"),
});

const TagDetailsSchema = T.Object({
  download_bytes: Nullable(T.Number()),
  disk_bytes: Nullable(T.Number()),
  uploaded_at: Nullable(T.String()),
});

export const CatalogueEntrySchema = T.Object(
  {
    name: T.String(),
    url: T.String({ description: "the reference to pull" }),
    description: Nullable(T.String()),
    tags: T.Array(T.String()),
    updated_at: Nullable(T.String()),
    os: Nullable(literals(["darwin", "linux"] as const)),
    source: literals(["built-in", "added", "github"] as const),
    tag_details: T.Record(T.String(), TagDetailsSchema),
    checked_at: Nullable(T.String()),
    error: Nullable(T.String()),
    pulled_tags: T.Array(T.String()),
    local_vms: T.Array(T.String()),
  },
  { description: "An image the catalogue offers to pull" },
);

const TartStatusSchema = T.Object({
  available: T.Boolean(),
  path: Nullable(T.String()),
  version: Nullable(T.String()),
  error: Nullable(T.String()),
  checking: T.Boolean({ description: "true until the first look at tart has finished" }),
});

const InventoryStatusSchema = T.Object({
  refreshed_at: Nullable(T.Number()),
  stale: T.Boolean(),
  error: Nullable(T.String()),
});

const HostSizeSchema = T.Object({ cpu_cores: T.Number(), memory_gb: T.Number() });

export const HealthSchema = T.Object({
  status: T.Literal("ok"),
  version: T.String(),
  data_dir: T.String(),
  tart: TartStatusSchema,
  inventory: InventoryStatusSchema,
  host: HostSizeSchema,
});

export const HostFactsSchema = T.Object({
  cpu_cores: T.Number(),
  memory_gb: T.Number(),
  os: T.Object({ name: T.String(), version: Nullable(T.String()), source: literals(["sw_vers", "os.release"] as const) }),
  tart: T.Object({ available: T.Boolean(), version: Nullable(T.String()), path: Nullable(T.String()) }),
  tart_home: T.String(),
  disk: T.Object({ free_bytes: Nullable(T.Number()), total_bytes: Nullable(T.Number()) }),
  macos_vms: T.Object({ running: T.Number(), limit: T.Number(), names: T.Array(T.String()) }),
  caches: T.Object({ oci_bytes: T.Number(), oci_images: T.Number(), ipsw_bytes: T.Number(), ipsw_files: T.Number() }),
  checked_at: T.Number(),
});

export const GithubTokenStatusSchema = T.Object({
  configured: T.Boolean(),
  masked_token: Nullable(T.String()),
  source: Nullable(literals(["file", "environment"] as const)),
});

export const RegistryLoginSchema = T.Object({ host: T.String(), username: T.String(), logged_in_at: T.Number() });

export const TartVersionSchema = T.Object({ version: Nullable(T.String()), path: Nullable(T.String()) });

// Compile-time ties to the interfaces: `true` only when both directions are assignable.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const tied = <_ extends true>() => {};
tied<Same<Static<typeof VmSchema>, Vm>>();
tied<Same<Static<typeof TaskSchema>, TaskWire>>();
tied<Same<Static<typeof TaskSchema>["action"], TaskAction>>();
tied<Same<Static<typeof PullProgressSchema>, PullProgress>>();
tied<Same<Static<typeof CatalogueEntrySchema>, CatalogueEntry>>();
tied<Same<Static<typeof HealthSchema>, Health>>();
tied<Same<Static<typeof TartStatusSchema>, TartStatus>>();
tied<Same<Static<typeof InventoryStatusSchema>, InventoryStatus>>();
tied<Same<Static<typeof HostSizeSchema>, HostSize>>();
tied<Same<Static<typeof HostFactsSchema>, HostFacts>>();
tied<Same<Static<typeof GithubTokenStatusSchema>, GithubTokenStatus>>();
tied<Same<Static<typeof RegistryLoginSchema>, RegistryLogin>>();
