/**
 * A faithful fake Orchard controller (spec orchard.md), in the test process: `startFakeOrchard()`
 * serves /v1 (or `<apiPrefix>/v1`) over HTTP, or HTTPS with a self-signed `orchard-controller`
 * certificate, with Basic auth and roles, or in dev mode (`authDisabled`, as `orchard dev`).
 * Gin's answers are kept: unknown routes and wrong methods are 404 "404 page not found" in plain
 * text, plain 404/503s have empty bodies, validation is 412 `{"message"}`. `requests` records
 * every call (method, path, user agent) so tests can count what a client asked.
 * See README.md for the knobs.
 */
import type { Server } from "bun";
import { authenticate, authorize, type Principal } from "./auth.ts";
import { FakeCluster, type ClusterTimings } from "./cluster.ts";
import { ROLES, workerJson, type Role, type ServiceAccount } from "./model.ts";
import { execPlan, execSocket, type ExecSocketData } from "./exec.ts";
import { portForwardSocket, portForwardTarget, startEchoServer, type ForwardSocketData, type ForwardTarget } from "./port-forward.ts";
import { selfSignedControllerCertificate, type ControllerCertificate } from "./tls.ts";
import { appendEvents, createVm, deleteVm, getVm, listEvents, listVms, updateVm } from "./vm-routes.ts";

export interface FakeOrchardOptions {
  /** `orchard dev`: every role check passes (a wrong Basic header is still 401). */
  authDisabled?: boolean;
  /** Serve HTTPS with a fresh self-signed controller certificate. */
  tls?: boolean;
  apiPrefix?: string;
  /** Accounts besides `bootstrap-admin` (which holds every role). */
  accounts?: ServiceAccount[];
  adminToken?: string;
  timings?: Partial<ClusterTimings>;
  version?: string;
  /** Where a VM's port leads; default: a TCP echo server the fake starts. null → 503. */
  forward?: (vmName: string, port: number) => ForwardTarget | null;
}

export interface FakeOrchard {
  url: string;
  /** The PEM and fingerprint when serving TLS. */
  certificate: ControllerCertificate | null;
  cluster: FakeCluster;
  accounts: Map<string, ServiceAccount>;
  requests: { method: string; path: string; userAgent: string | null }[];
  /** Answer nothing at all until set back (a hung controller). */
  setHung(hung: boolean): void;
  stop(): void;
}

type SocketData = ForwardSocketData | ExecSocketData;
type Ws = import("bun").ServerWebSocket<SocketData>;
/** One Bun.serve has one websocket handler: each socket goes to its route's. */
const socketsByKind = {
  open: (ws: Ws) => (ws.data.kind === "exec" ? execSocket.open(ws as never) : portForwardSocket.open(ws as never)),
  message: (ws: Ws, data: string | Buffer) => (ws.data.kind === "exec" ? execSocket.message(ws as never, data) : portForwardSocket.message(ws as never, data)),
  drain: (ws: Ws) => (ws.data.kind === "exec" ? undefined : portForwardSocket.drain(ws as never)),
  close: (ws: Ws) => (ws.data.kind === "exec" ? execSocket.close(ws as never) : portForwardSocket.close(ws as never)),
};

const notFoundPage = () => new Response("404 page not found", { status: 404, headers: { "content-type": "text/plain" } });

export function startFakeOrchard(options: FakeOrchardOptions = {}): FakeOrchard {
  const timings: ClusterTimings = { stepMs: 40, offlineTimeoutMs: 180_000, heartbeatMs: 1_000, restartDelayMs: 15_000, ...options.timings };
  const cluster = new FakeCluster(timings);
  const accounts = new Map<string, ServiceAccount>([["bootstrap-admin", { name: "bootstrap-admin", token: options.adminToken ?? crypto.randomUUID(), roles: [...ROLES] }]]);
  for (const account of options.accounts ?? []) accounts.set(account.name, account);
  const certificate = options.tls ? selfSignedControllerCertificate() : null;
  const echo = options.forward ? null : startEchoServer();
  const forward = options.forward ?? (() => ({ hostname: "127.0.0.1", port: echo!.port }));
  const prefix = `${options.apiPrefix ?? ""}/v1`;
  const requests: FakeOrchard["requests"] = [];
  let hung = false;

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: "127.0.0.1",
    port: 0,
    ...(certificate ? { tls: { cert: certificate.cert, key: certificate.key } } : {}),
    websocket: socketsByKind,
    async fetch(request, bunServer) {
      const url = new URL(request.url);
      requests.push({ method: request.method, path: url.pathname + url.search, userAgent: request.headers.get("user-agent") });
      if (hung) return new Promise<Response>(() => {});
      if (!url.pathname.startsWith(prefix + "/") && url.pathname !== prefix) return notFoundPage();
      const path = url.pathname.slice(prefix.length) || "/";
      const principal = authenticate(request, accounts);
      if (principal instanceof Response) return principal;
      const need = (mode: "all" | "any", ...roles: Role[]) => authorize(principal as Principal, !!options.authDisabled, mode, roles);
      const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
      const method = request.method;
      const [collection, name, sub] = segments;

      if (segments.length === 0 && method === "GET") return new Response(null, { status: 200 });
      if (collection === "controller" && name === "info" && segments.length === 2 && method === "GET") {
        return (
          need("all") ??
          Response.json({ version: options.version ?? "0.55.0", commit: "b30bb5b", capabilities: ["rpc-v1", "vm-state-endpoint", "rpc-v2"] })
        );
      }
      if (collection === "workers") {
        if (segments.length === 1 && method === "GET") {
          return need("all", "compute:read") ?? Response.json([...cluster.workers.values()].sort((a, b) => a.name.localeCompare(b.name)).map(workerJson));
        }
        if (segments.length === 2) {
          if (method === "GET") {
            const worker = cluster.workers.get(name!);
            return need("all", "compute:read") ?? (worker ? Response.json(workerJson(worker)) : new Response(null, { status: 404 }));
          }
          if (method === "PUT") return need("all", "compute:write") ?? (await updateWorker(request));
          if (method === "DELETE") {
            const denied = need("all", "compute:write");
            if (denied) return denied;
            cluster.workers.delete(name!);
            return new Response(null, { status: 200 }); // also for a missing name (Badger)
          }
        }
      }
      if (collection === "vms") {
        if (segments.length === 1) {
          if (method === "GET") return need("all", "compute:read") ?? listVms(cluster, url);
          if (method === "POST") return need("all", "compute:write") ?? (await createVm(cluster, request));
        }
        if (segments.length === 2) {
          if (method === "GET") return need("all", "compute:read") ?? getVm(cluster, name!, url);
          if (method === "PUT") return need("all", "compute:write") ?? (await updateVm(cluster, name!, request));
          if (method === "DELETE") return need("all", "compute:write") ?? deleteVm(cluster, name!);
        }
        if (segments.length === 3 && sub === "events") {
          if (method === "GET") return need("all", "compute:read") ?? listEvents(cluster, name!, url);
          if (method === "POST") return need("all", "compute:write") ?? (await appendEvents(cluster, name!, request));
        }
        if (segments.length === 3 && sub === "port-forward" && method === "GET") {
          const denied = need("any", "compute:write", "compute:connect");
          if (denied) return denied;
          const target = await portForwardTarget(cluster, name!, url, forward);
          if (target instanceof Response) return target;
          const text = !request.headers.get("user-agent");
          if (bunServer.upgrade(request, { data: { kind: "forward", target, text, queued: [], closed: false } })) return undefined as unknown as Response;
          return new Response(null, { status: 400 });
        }
        if (segments.length === 3 && sub === "exec" && method === "GET") {
          const denied = need("any", "compute:write", "compute:connect");
          if (denied) return denied;
          const plan = await execPlan(cluster, name!, url);
          if (plan instanceof Response) return plan;
          if (bunServer.upgrade(request, { data: { kind: "exec", plan, watermark: 0, closed: false } })) return undefined as unknown as Response;
          return new Response(null, { status: 400 });
        }
      }
      return notFoundPage();
    },
  });

  /** PUT /v1/workers/{name}: the name comes from the body; only last_seen and scheduling_paused apply. */
  async function updateWorker(request: Request): Promise<Response> {
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
    } catch {
      return Response.json({ message: "invalid JSON was provided" }, { status: 400 });
    }
    const worker = cluster.workers.get(String(body?.name ?? ""));
    if (!worker) return new Response(null, { status: 404 });
    if (typeof body.last_seen === "string" && !body.last_seen.startsWith("0001-01-01")) worker.last_seen = body.last_seen;
    worker.scheduling_paused = body.scheduling_paused === true;
    return Response.json(workerJson(worker));
  }

  return {
    url: `${certificate ? "https" : "http"}://127.0.0.1:${server.port}${options.apiPrefix ?? ""}`,
    certificate,
    cluster,
    accounts,
    requests,
    setHung: (value) => (hung = value),
    stop() {
      cluster.stop();
      echo?.stop();
      server.stop(true);
    },
  };
}
