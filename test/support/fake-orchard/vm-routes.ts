/**
 * The fake controller's /v1/vms handlers (spec orchard.md §3, §4.3, §6; api_vms.go): create with
 * its defaults and 412s, list sorted by name, get and NDJSON watch, the spec update with its
 * power-state rules, delete, and events paged by `X-Next-Cursor`. A PUT whose User-Agent starts
 * with `Orchard/0` is a worker's state report, as the real router treats it.
 */
import type { FakeCluster } from "./cluster.ts";
import { goTime, SIMPLE_NAME, vmJson, ZERO_TIME, type OrchardEvent, type VmRecord } from "./model.ts";

const message = (status: number, text: string) => Response.json({ message: text }, { status });
const empty = (status: number) => new Response(null, { status });
const PULL_POLICIES = new Set(["IfNotPresent", "Always"]);
const RESTART_POLICIES = new Set(["Never", "OnFailure"]);
const POWER_STATES = new Set(["running", "stopped", "suspended"]);
const SPEC_FIELDS = ["os", "arch", "runtime", "net-softnet", "netSoftnet", "netSoftnetAllow", "netSoftnetBlock", "suspendable", "powerState"] as const;

async function jsonBody(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const body = await request.json();
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** What Go's decoder refuses: a field of the wrong JSON type fails the whole bind. */
function badTypes(body: Record<string, unknown>): boolean {
  const numbers = ["cpu", "memory", "diskSize", "restart_count"];
  const strings = ["name", "image", "imagePullPolicy", "os", "arch", "runtime", "powerState", "restart_policy", "username", "password", "net-bridged"];
  const booleans = ["headless", "nested", "suspendable", "netSoftnet", "randomSerial"];
  return (
    numbers.some((key) => key in body && !(Number.isInteger(body[key]) && (body[key] as number) >= 0)) ||
    strings.some((key) => key in body && typeof body[key] !== "string") ||
    booleans.some((key) => key in body && typeof body[key] !== "boolean") ||
    ("labels" in body && (typeof body.labels !== "object" || Array.isArray(body.labels))) ||
    ("startup_script" in body && body.startup_script !== null && typeof body.startup_script !== "object")
  );
}

export async function createVm(cluster: FakeCluster, request: Request): Promise<Response> {
  const body = await jsonBody(request);
  if (!body || badTypes(body)) return message(400, "invalid JSON was provided");
  const name = (body.name as string) ?? "";
  if (name === "") return message(412, "VM name is empty");
  if (!SIMPLE_NAME.test(name)) return message(412, "VM name name contains restricted characters, please only use [A-Za-z0-9:-_.]");
  if (!body.image) return message(412, "VM image is empty");
  const uid = crypto.randomUUID();
  const os = (body.os as string) || "darwin";
  const runtime = (body.runtime as string) || "tart";
  const resources = { ...((body.resources as Record<string, number>) ?? {}) };
  if (os === "darwin" && runtime === "tart" && !("org.cirruslabs.tart-vms" in resources)) resources["org.cirruslabs.tart-vms"] = 1;
  const pull = (body.imagePullPolicy as string) || "IfNotPresent";
  if (!PULL_POLICIES.has(pull)) return message(412, `unsupported image pull policy: ${JSON.stringify(body.imagePullPolicy)}`);
  const restart = (body.restart_policy as string) || "Never";
  if (!RESTART_POLICIES.has(restart)) return message(412, `unsupported restart policy: ${JSON.stringify(body.restart_policy)}`);
  if (cluster.vms.has(name)) return message(409, "VM with this name already exists");
  const vm: VmRecord = {
    image: body.image as string,
    imagePullPolicy: pull,
    cpu: body.cpu as number | undefined,
    memory: body.memory as number | undefined,
    diskSize: body.diskSize as number | undefined,
    headless: body.headless as boolean | undefined,
    nested: body.nested as boolean | undefined,
    os,
    arch: (body.arch as string) || "arm64",
    runtime,
    suspendable: body.suspendable as boolean | undefined,
    powerState: "running",
    localName: `orchard-${name}-${uid}-0`,
    observedGeneration: 0,
    conditions: [{ type: "scheduled", state: "false" }],
    status: "pending",
    username: body.username as string | undefined,
    password: body.password as string | undefined,
    startup_script: (body.startup_script as VmRecord["startup_script"]) ?? undefined,
    restart_policy: restart,
    restarted_at: ZERO_TIME,
    uid,
    resources,
    labels: body.labels as Record<string, string> | undefined,
    scheduled_at: ZERO_TIME,
    started_at: ZERO_TIME,
    generation: 0,
    name,
    createdAt: goTime(),
  };
  cluster.insert(vm);
  return Response.json(vmJson(vm, false));
}

export function listVms(cluster: FakeCluster, url: URL): Response {
  const filter = url.searchParams.get("filter");
  let worker: string | null = null;
  if (filter !== null) {
    const match = /^worker=(.*)$/.exec(filter);
    if (!match) return message(412, `invalid filter: ${JSON.stringify(filter)}`);
    worker = match[1]!;
  }
  const vms = [...cluster.vms.values()].filter((vm) => worker === null || vm.worker === worker).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Response.json(vms.map((vm) => vmJson(vm)));
}

export function getVm(cluster: FakeCluster, name: string, url: URL): Response {
  if (url.searchParams.get("watch") === "true") return watchVm(cluster, name);
  const vm = cluster.vms.get(name);
  return vm ? Response.json(vmJson(vm)) : empty(404);
}

/** One JSON line per change, flushed as written; the stream ends only when the client leaves. */
function watchVm(cluster: FakeCluster, name: string): Response {
  const encoder = new TextEncoder();
  let unsubscribe = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (type: string, vm: VmRecord | null) => {
        try {
          controller.enqueue(encoder.encode(JSON.stringify({ type, object: vmJson(vm) }) + "\n"));
        } catch {
          unsubscribe();
        }
      };
      const existing = cluster.vms.get(name);
      if (existing) send("ADDED", existing);
      unsubscribe = cluster.watch(name, (change) => send(change.type, change.vm));
    },
    cancel() {
      unsubscribe();
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
}

export async function updateVm(cluster: FakeCluster, name: string, request: Request): Promise<Response> {
  const body = await jsonBody(request);
  if (!body || badTypes(body)) return message(400, "invalid JSON was provided");
  const vm = cluster.vms.get(name);
  if (!vm) return empty(404);
  if ((request.headers.get("user-agent") ?? "").startsWith("Orchard/0")) return updateVmState(cluster, vm, body);
  if (vm.status === "failed") return message(412, "cannot update VM in a terminal state");
  if (vm.os !== (body.os ?? "") || vm.arch !== (body.arch ?? "") || vm.runtime !== (body.runtime ?? "")) {
    return message(412, `"os", "arch" and "runtime" fields cannot be modified`);
  }
  const power = (body.powerState as string) ?? "";
  if (vm.suspendable && !body.suspendable) return message(412, `"suspendable" cannot be toggled for suspendable VMs`);
  if (!POWER_STATES.has(power)) return message(412, `invalid "powerState" value: ${power}`);
  if (vm.powerState !== "running") return message(412, `invalid "powerState" transition: cannot transition from a terminal power state`);
  if (!vm.suspendable && power === "suspended") return message(412, `invalid "powerState" transition: only suspendable VMs can be suspended`);
  const record = vm as unknown as Record<string, unknown>;
  const changed = SPEC_FIELDS.some((key) => specValue(record[key]) !== specValue(body[key]));
  if (!changed) return Response.json(vmJson(vm));
  for (const key of SPEC_FIELDS) record[key] = body[key] === false || body[key] === "" ? undefined : body[key];
  vm.generation += 1;
  cluster.save(vm);
  cluster.specChanged(vm);
  return Response.json(vmJson(vm));
}

/** Go compares the decoded structs: an absent field and its zero value are the same. */
function specValue(value: unknown): string | null {
  if (value === undefined || value === null || value === false || value === "" || (Array.isArray(value) && value.length === 0)) return null;
  return JSON.stringify(value);
}

/** `updateVMState`: what a worker reports (status, message, conditions, image FQN). */
function updateVmState(cluster: FakeCluster, vm: VmRecord, body: Record<string, unknown>): Response {
  if (typeof body.status === "string") vm.status = body.status as VmRecord["status"];
  if (typeof body.status_message === "string") vm.status_message = body.status_message;
  if (Array.isArray(body.conditions)) vm.conditions = body.conditions as VmRecord["conditions"];
  cluster.save(vm);
  return Response.json(vmJson(vm));
}

export function deleteVm(cluster: FakeCluster, name: string): Response {
  return cluster.remove(name) ? empty(200) : empty(404);
}

export function listEvents(cluster: FakeCluster, name: string, url: URL): Response {
  const vm = cluster.vms.get(name);
  if (!vm) return empty(404);
  const limitText = url.searchParams.get("limit");
  const order = url.searchParams.get("order") ?? "asc";
  const cursorText = url.searchParams.get("cursor");
  let limit = Infinity;
  if (limitText !== null) {
    if (!/^[0-9]+$/.test(limitText) || Number(limitText) <= 0) return message(400, `invalid limit ${JSON.stringify(limitText)}: expected positive integer`);
    limit = Number(limitText);
  }
  if (order !== "asc" && order !== "desc") return message(400, `invalid order ${JSON.stringify(order)}: expected asc or desc`);
  const all = cluster.events.get(vm.uid) ?? [];
  const ordered = order === "asc" ? all.map((event, index) => ({ event, index })) : all.map((event, index) => ({ event, index })).reverse();
  let start = 0;
  if (cursorText) {
    const index = decodeCursor(cursorText);
    if (index === null) return message(400, `invalid cursor ${JSON.stringify(cursorText)}`);
    start = ordered.findIndex((entry) => (order === "asc" ? entry.index >= index : entry.index <= index));
    if (start < 0) start = ordered.length;
  }
  const page = ordered.slice(start, start + limit);
  const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
  const next = ordered[start + page.length];
  if (next && page.length === limit) headers.set("X-Next-Cursor", encodeCursor(next.index));
  return new Response(JSON.stringify(page.map((entry) => entry.event)), { headers });
}

export async function appendEvents(cluster: FakeCluster, name: string, request: Request): Promise<Response> {
  const vm = cluster.vms.get(name);
  if (!vm) return empty(404);
  let events: unknown;
  try {
    events = await request.json();
  } catch {
    return message(400, "invalid JSON was provided");
  }
  if (!Array.isArray(events)) return message(400, "invalid JSON was provided");
  cluster.appendEvents(vm, events as OrchardEvent[]);
  return empty(200);
}

// The cursor is opaque to clients: base64url without padding of the next event's key.
const encodeCursor = (index: number) => Buffer.from(`event-${String(index).padStart(12, "0")}`).toString("base64url");

function decodeCursor(text: string): number | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const match = /^event-(\d{12})$/.exec(Buffer.from(text, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}
