/**
 * The cluster routes' answers (docs/API.md "Clusters") as TypeBox schemas, for the OpenAPI
 * document. The answers are orchard/cluster-wire.ts's interfaces; each schema is tied to its
 * interface at the bottom, as wire-schemas.ts does, so a field changed there fails `tsc` until it
 * is described here too.
 */
import { Type as T, type Static } from "@sinclair/typebox";
import type { ClusterSource } from "../../orchard/cluster-config.ts";
import type { ClusterHealthWire, ClusterInspectWire, ClusterVmWire, ClusterWire, ClusterWorkerWire } from "../../orchard/cluster-wire.ts";
import { literals, Nullable, tied, type Same } from "./wire-schemas.ts";

const SOURCES = ["orchard-cli", "app"] as const;
const STATES = ["ok", "unauthorized", "unreachable", "untrusted_certificate", "timeout", "error"] as const;
const VM_STATES = ["pending", "running", "stopping", "stopped", "failed"] as const;
const time = (what: string) => Nullable(T.String(), `${what}: RFC 3339 as the controller wrote it; null when unset`);
const counts = (description: string) => T.Record(T.String(), T.Number(), { description });
const labels = T.Record(T.String(), T.String());

export const ClusterHealthSchema = T.Object(
  {
    state: literals(STATES),
    reachable: T.Boolean(),
    auth_ok: Nullable(T.Boolean(), "null when unknown (the controller could not be reached)"),
    version: Nullable(T.String()),
    commit: Nullable(T.String()),
    capabilities: T.Array(T.String(), { description: "from the controller's GET /v1/controller/info" }),
    detail: Nullable(T.String(), "what went wrong, for any state but ok"),
    checked_at: T.Number({ description: "Unix time in seconds; asked at most every 5 s per cluster" }),
  },
  { description: "What the controller answered the last time it was asked" },
);

export const ClusterSchema = T.Object(
  {
    name: T.String(),
    url: T.String(),
    source: literals(SOURCES, "`orchard-cli`: a context of Orchard's own CLI config (read only); `app`: added here"),
    read_only: T.Boolean({ description: "a CLI context: change it with `orchard context`" }),
    service_account_name: Nullable(T.String(), "never the token"),
    tls: T.Boolean(),
    certificate_fingerprint: Nullable(T.String(), "SHA-256 of the pinned certificate, as Orchard prints it; null when the system's roots are trusted or there is no TLS"),
    health: ClusterHealthSchema,
  },
  { description: "An Orchard cluster: a controller and its service account" },
);

export const ClusterInspectSchema = T.Object(
  {
    url: T.String({ description: "normalised as `orchard context create` does: https and port 6120 when not given" }),
    tls: T.Boolean(),
    certificate_fingerprint: Nullable(T.String(), "what the controller presents (null for plain HTTP)"),
    certificate_subject: Nullable(T.String()),
    trusted_by_system: T.Boolean(),
  },
  { description: "What a controller presents before it is added" },
);

export const ClusterVmSchema = T.Object(
  {
    name: T.String(),
    cluster: T.String(),
    state: literals(VM_STATES, "from Orchard's `status` and its one-way `powerState`"),
    status: T.String({ description: "Orchard's own: pending, running or failed" }),
    status_message: Nullable(T.String()),
    power_state: T.String(),
    worker: Nullable(T.String(), "the worker it was placed on"),
    image: T.String(),
    image_fqn: Nullable(T.String()),
    cpu: Nullable(T.Number()),
    memory_mib: Nullable(T.Number(), "assigned, else asked, in MiB as Orchard keeps it"),
    disk_size: Nullable(T.Number(), "GB"),
    headless: T.Boolean(),
    restart_policy: T.String(),
    restart_count: T.Number(),
    labels,
    created_at: time("created"),
    scheduled_at: time("placed on a worker"),
    started_at: time("started"),
  },
  { description: "A VM of an Orchard cluster" },
);

export const ClusterWorkerSchema = T.Object(
  {
    name: T.String(),
    online: T.Boolean({ description: "`last_seen` within Orchard's 3-minute offline timeout" }),
    last_seen: Nullable(T.String()),
    scheduling_paused: T.Boolean(),
    labels,
    resources: counts("e.g. org.cirruslabs.tart-vms, org.cirruslabs.logical-cores, org.cirruslabs.memory-mib"),
    arch: Nullable(T.String()),
    runtime: Nullable(T.String()),
    used: counts("what its VMs that are neither failed nor stopped take of those resources"),
    vm_count: T.Number(),
  },
  { description: "A Mac of an Orchard cluster" },
);

tied<Same<Static<typeof ClusterHealthSchema>, ClusterHealthWire>>();
tied<Same<Static<typeof ClusterSchema>, ClusterWire>>();
tied<Same<Static<typeof ClusterSchema>["source"], ClusterSource>>();
tied<Same<Static<typeof ClusterInspectSchema>, ClusterInspectWire>>();
tied<Same<Static<typeof ClusterVmSchema>, ClusterVmWire>>();
tied<Same<Static<typeof ClusterWorkerSchema>, ClusterWorkerWire>>();
