/**
 * Load and soak (issue 4): the compiled binary under 200 concurrent HTTP clients mixing reads and
 * operations, plus 100 websocket subscribers, for 60 s. Loopback only; every loop ends at the
 * deadline.
 *
 *   bun bench/soak.ts [--seconds 60] [--clients 200] [--subscribers 100] [--max-ops 6]
 *
 * Clients: each loop picks a read (GET /api/vms, /api/health, /api/tasks/active, /api/vms/{name},
 * /api/tasks?limit=20, /api/vms/categorized) or, when fewer than --max-ops operations are in flight
 * (each one is a real fake-tart process: the cap keeps a 2-core box from measuring fork storms),
 * an operation on a VM only that client uses: start → stop, clone → delete, or a pull of a shared
 * image; it then follows its task with GET /api/tasks/{id} until it ends. Subscribers keep
 * websockets open on the newest tasks (full Task or `mode=delta`, alternately), resubscribing
 * when one closes.
 *
 * Errors (must be 0): a failed request (network), any 5xx, any 4xx except a 409 from an operation
 * (counted apart as a conflict), a task that ends failed, a websocket that closes other than 1000.
 * Prints p50/p99/max latency per kind and the server's RSS before, at peak and after.
 */
import { startServer } from "../test/support/server-process.ts";
import { mb, ms, percentileSorted, rssOf, sampleRss, sorted } from "./lib.ts";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

const SECONDS = flag("seconds", 60);
const CLIENTS = flag("clients", 200);
const SUBSCRIBERS = flag("subscribers", 100);
const MAX_OPS = flag("max-ops", 6);
const OP_SHARE = 0.1;

const server = await startServer({
  binary: true,
  seed: { local: CLIENTS + 20, running: 0, oci: 1 },
  knobs: { boot_ms: 150, ip_fail_ms: 100, pull_steps: 10, pull_interval_ms: 300, vm_limit: 0, argv_log: false },
});
const pid = server.proc.pid;
const vmName = (i: number) => `vm-${String(i + 1).padStart(4, "0")}`;

const latencies: Record<string, number[]> = { read: [], operation: [], "task poll": [] };
const errors: string[] = [];
let conflicts = 0;
let opsInFlight = 0;
let opsDone = 0;
let wsMessages = 0;
let wsSubscriptions = 0;
const recentTasks: string[] = [];
const stopAt = performance.now() + SECONDS * 1000;
const running = () => performance.now() < stopAt;
const error = (what: string) => {
  if (errors.length < 1000) errors.push(what);
};

async function request(kind: string, path: string, body?: unknown): Promise<{ status: number; json: any } | null> {
  const t0 = performance.now();
  try {
    const response = body === undefined ? await server.fetch(path) : await server.post(path, body);
    const text = await response.text();
    latencies[kind]!.push(performance.now() - t0);
    if (response.status === 409 && kind === "operation") {
      conflicts++;
      return null;
    }
    if (response.status >= 400) {
      error(`${response.status} ${path}: ${text.slice(0, 200)}`);
      return null;
    }
    // Reads are not parsed: the client shares the 2 cores with the server.
    return { status: response.status, json: kind === "read" ? null : JSON.parse(text) };
  } catch (e) {
    error(`${path}: ${(e as Error).message}`);
    return null;
  }
}

const READS = ["/api/vms", "/api/health", "/api/tasks/active", "/api/tasks?limit=20", "/api/vms/categorized"];

async function follow(taskId: string): Promise<void> {
  recentTasks.push(taskId);
  if (recentTasks.length > 50) recentTasks.shift();
  // Bounded: a task that outlives the soak by 30 s is an error.
  const deadline = stopAt + 30_000;
  while (performance.now() < deadline) {
    await Bun.sleep(200);
    const task = await request("task poll", `/api/tasks/${taskId}`);
    if (!task) return;
    if (task.json.status === "completed") return;
    if (task.json.status === "failed") return error(`task ${task.json.action} ${task.json.vm_name} failed: ${task.json.error}`);
  }
  error(`task ${taskId} did not end`);
}

async function operation(client: number, round: number): Promise<void> {
  opsInFlight++;
  try {
    const vm = vmName(client);
    const kind = round % 3;
    if (kind === 0) {
      const started = await request("operation", `/api/vms/${vm}/start`, {});
      if (started) await follow(started.json.id);
      const stopped = await request("operation", `/api/vms/${vm}/stop`, {});
      if (stopped) await follow(stopped.json.id);
    } else if (kind === 1) {
      const copy = `soak-${client}-${round}`;
      const cloned = await request("operation", `/api/vms/${vm}/clone`, { new_name: copy });
      if (cloned) await follow(cloned.json.id);
      const deleted = await request("operation", `/api/vms/${copy}/delete`, {});
      if (deleted) await follow(deleted.json.id);
    } else {
      const pulled = await request("operation", "/api/vms/pull", { oci_url: `ghcr.io/cirruslabs/soak-image-${round % 4}:latest` });
      if (pulled) await follow(pulled.json.id);
    }
    opsDone++;
  } finally {
    opsInFlight--;
  }
}

async function client(i: number): Promise<void> {
  let round = i;
  while (running()) {
    if (opsInFlight < MAX_OPS && Math.random() < OP_SHARE) await operation(i, round++);
    else {
      const pick = Math.floor(Math.random() * (READS.length + 1));
      await request("read", pick < READS.length ? READS[pick]! : `/api/vms/${vmName(Math.floor(Math.random() * CLIENTS))}`);
    }
  }
}

async function subscriber(i: number): Promise<void> {
  while (running()) {
    const id = recentTasks[recentTasks.length - 1 - (i % Math.max(1, recentTasks.length))];
    if (!id) {
      await Bun.sleep(100);
      continue;
    }
    wsSubscriptions++;
    const url = `ws://127.0.0.1:${server.port}/ws/tasks/${id}?token=${server.token}${i % 2 ? "&mode=delta" : ""}`;
    await new Promise<void>((resolve) => {
      const socket = new WebSocket(url);
      let closedByUs = false;
      const timer = setTimeout(() => {
        closedByUs = true;
        socket.close();
      }, Math.max(0, stopAt - performance.now()));
      socket.onmessage = () => void wsMessages++;
      socket.onclose = (event) => {
        clearTimeout(timer);
        if (!closedByUs && event.code !== 1000) error(`websocket closed ${event.code} ${event.reason}`);
        resolve();
      };
    });
  }
}

await Bun.sleep(2000); // the first refresh and config fill
const rssBefore = rssOf(pid);
const sampler = sampleRss(pid, 100);
console.error(`soak: ${CLIENTS} clients, ${SUBSCRIBERS} websocket subscribers, ${SECONDS} s against ${server.base} (RSS ${mb(rssBefore)})`);
const t0 = performance.now();
await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => client(i)), ...Array.from({ length: SUBSCRIBERS }, (_, i) => subscriber(i))]);
const elapsed = (performance.now() - t0) / 1000;
const rssPeak = sampler.stop();
await Bun.sleep(2000);
const rssAfter = rssOf(pid);
const alive = server.proc.exitCode === null;
await server.stop();

const lines = [`soak: ${elapsed.toFixed(1)} s, ${CLIENTS} clients, ${SUBSCRIBERS} websocket subscribers, at most ${MAX_OPS} operations in flight`];
for (const [kind, values] of Object.entries(latencies)) {
  const s = sorted(values);
  if (!s.length) continue;
  lines.push(
    `  ${kind.padEnd(10)} ${String(s.length).padStart(7)} requests (${(s.length / elapsed).toFixed(0)}/s)  p50 ${ms(percentileSorted(s, 50))}  p99 ${ms(percentileSorted(s, 99))}  max ${ms(s[s.length - 1]!)}`,
  );
}
const all = sorted(Object.values(latencies).flat());
lines.push(`  all requests p99 ${ms(percentileSorted(all, 99))}`);
lines.push(`  operations completed ${opsDone}, conflicts (409) ${conflicts}; websocket subscriptions ${wsSubscriptions}, messages ${wsMessages}`);
lines.push(`  server RSS before ${mb(rssBefore)}, peak ${mb(rssPeak)}, after ${mb(rssAfter)} (+${mb(rssAfter - rssBefore)}); server ${alive ? "still up" : "DIED"}`);
lines.push(`  errors: ${errors.length}`);
for (const e of [...new Set(errors)].slice(0, 10)) lines.push(`    ${e}`);
console.log(lines.join("\n"));
process.exit(errors.length === 0 && alive ? 0 : 1);
