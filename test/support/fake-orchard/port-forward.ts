/**
 * `GET /v1/vms/{name}/port-forward?port=N&wait=S` (spec orchard.md §7, api_vms_portforward.go):
 * 400 with an empty body for a missing or out-of-range port or a bad wait; 404 for no such VM;
 * waits up to `wait` seconds (default 10) for the VM to run, else 408, or 417 once it failed; then
 * the WebSocket, whose binary frames carry the raw bytes of one TCP connection to the VM's port
 * (text frames for a client that sends no User-Agent, the legacy behaviour). Where a "VM's port"
 * is: a local TCP server the test names, like `orchard dev --synthetic`'s echo server.
 */
import type { ServerWebSocket } from "bun";
import type { FakeCluster } from "./cluster.ts";

export interface ForwardTarget {
  hostname: string;
  port: number;
}

export interface ForwardSocketData {
  kind: "forward";
  target: ForwardTarget;
  text: boolean;
  tcp?: import("bun").Socket<undefined>;
  queued: Uint8Array[];
  closed: boolean;
}

const message = (status: number, text: string) => Response.json({ message: text }, { status });

/** The checks before the upgrade: a Response to answer, or where to connect. */
export async function portForwardTarget(
  cluster: FakeCluster,
  name: string,
  url: URL,
  resolve: (vmName: string, port: number) => ForwardTarget | null,
): Promise<Response | ForwardTarget> {
  const portText = url.searchParams.get("port") ?? "";
  const port = /^[0-9]+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return new Response(null, { status: 400 });
  const waitText = url.searchParams.get("wait");
  if (waitText !== null && !/^[0-9]+$/.test(waitText)) return new Response(null, { status: 400 });
  const refused = await waitForRunning(cluster, name, waitText === null ? 10 : Number(waitText));
  if (refused) return refused;
  const target = resolve(name, port);
  return target ?? new Response(null, { status: 503 }); // the worker could not open the connection
}

/** The controller's `waitForVM` (port-forward, exec, ip): 404, 408 after the wait, 417 once failed; null when running. */
export async function waitForRunning(cluster: FakeCluster, name: string, waitSeconds: number): Promise<Response | null> {
  if (!cluster.vms.has(name)) return new Response(null, { status: 404 });
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const vm = cluster.vms.get(name);
    if (!vm) return new Response(null, { status: 404 });
    if (vm.status === "failed") return message(417, "VM is in a terminal state 'failed'");
    if (vm.status === "running") return null;
    if (Date.now() >= deadline) return message(408, `VM is not running on '${vm.worker ?? ""}' worker`);
    await Bun.sleep(20);
  }
}

export const portForwardSocket = {
  async open(ws: ServerWebSocket<ForwardSocketData>) {
    try {
      ws.data.tcp = await Bun.connect({
        hostname: ws.data.target.hostname,
        port: ws.data.target.port,
        socket: {
          data(socket, bytes) {
            // Orchard copies with blocking writes: a client that reads slowly stops the TCP reads.
            const sent = ws.data.text ? ws.send(new TextDecoder().decode(bytes)) : ws.sendBinary(bytes);
            if (sent === -1) socket.pause();
          },
          close() {
            if (!ws.data.closed) ws.close(1000);
          },
          error() {
            if (!ws.data.closed) ws.close(1011);
          },
        },
      });
      for (const chunk of ws.data.queued.splice(0)) ws.data.tcp.write(chunk);
    } catch {
      ws.close(1011, "cannot connect to the VM");
    }
  },
  message(ws: ServerWebSocket<ForwardSocketData>, data: string | Buffer) {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data);
    if (ws.data.tcp) ws.data.tcp.write(bytes);
    else ws.data.queued.push(bytes);
  },
  drain(ws: ServerWebSocket<ForwardSocketData>) {
    ws.data.tcp?.resume();
  },
  close(ws: ServerWebSocket<ForwardSocketData>) {
    ws.data.closed = true;
    ws.data.tcp?.end();
  },
};

/** A TCP echo server, as `orchard dev --synthetic` backs its VMs' ports with (echoserver.go). */
export function startEchoServer(): { port: number; stop(): void } {
  const listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket, bytes) {
        socket.write(bytes);
      },
    },
  });
  return { port: listener.port, stop: () => listener.stop(true) };
}
