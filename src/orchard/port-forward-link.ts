/**
 * One TCP connection to a cluster VM's port, through its Orchard controller's port-forward
 * websocket (`GET /v1/vms/{name}/port-forward?port=N&wait=S`, spec orchard.md §7): raw bytes in
 * binary frames both ways. Built on the `ws` client API that Bun provides natively, because
 * it can pause reading (`pause()`/`resume()` stop taking frames off the socket, so the
 * controller, not this process, holds what a slow browser has not taken) and reports the
 * status of a refused upgrade (`unexpected-response`), which Orchard uses for 404/408/417/503;
 * the WHATWG WebSocket can do neither.
 */
import type WebSocket from "ws";
import { wsClient } from "./ws-client.ts";
import type { ConsoleUpstream, RelaySink } from "../console/console-upstream.ts";
import type { ControllerClient } from "./controller-client.ts";

/** The controller refused the upgrade (its HTTP status), or could not be reached (status 0). */
export class PortForwardRefused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "PortForwardRefused";
  }
}

export class PortForwardLink implements ConsoleUpstream {
  private buffered: Uint8Array[] = [];
  private sink: RelaySink | null = null;
  private ended: "end" | "error" | null = null;
  private paused = false;

  private constructor(private readonly ws: WebSocket) {}

  /**
   * Opens the port-forward to `port` of VM `name`; `waitSeconds` is the controller's own wait for
   * the VM to run (408 after it). Rejects with a PortForwardRefused.
   */
  static open(client: ControllerClient, name: string, port: number, waitSeconds: number): Promise<PortForwardLink> {
    const request = client.websocketRequest(`/vms/${encodeURIComponent(name)}/port-forward?port=${port}&wait=${waitSeconds}`);
    // The controller's wait, plus the worker's dial and the upgrade itself.
    const timeoutMs = (waitSeconds + 10) * 1000;
    return new Promise((resolve, reject) => {
      const ws = new (wsClient())(request.url, { headers: request.headers, ...(request.tls ? { tls: request.tls } : {}) });
      const link = new PortForwardLink(ws);
      let settled = false;
      const fail = (error: PortForwardRefused) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(error);
      };
      const timer = setTimeout(() => fail(new PortForwardRefused(0, `no answer from the controller within ${timeoutMs / 1000} s`)), timeoutMs);
      ws.on("unexpected-response", (_request, response) => fail(new PortForwardRefused(response.statusCode ?? 0, `the controller answered ${response.statusCode}`)));
      ws.on("error", (error) => fail(new PortForwardRefused(0, error.message || "the controller could not be reached")));
      ws.on("open", () => {
        settled = true;
        clearTimeout(timer);
        resolve(link);
      });
      ws.on("message", (data, isBinary) => link.received(data as Buffer, isBinary));
      ws.on("close", () => link.finish("end"));
      ws.on("error", () => link.finish("error"));
    });
  }

  relayTo(sink: RelaySink): void {
    this.sink = sink;
    const pending = this.buffered;
    this.buffered = [];
    for (const chunk of pending) this.deliver(chunk);
    if (this.ended) sink.closed(this.ended);
  }

  write(bytes: Uint8Array): void {
    if (this.ended || this.ws.readyState !== wsClient().OPEN) return;
    this.ws.send(bytes, { binary: true });
  }

  /** What the websocket has queued and not yet handed to the kernel. */
  get pendingWrite(): number {
    return this.ws.bufferedAmount;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.ws.resume();
  }

  end(): void {
    if (this.ws.readyState === wsClient().OPEN || this.ws.readyState === wsClient().CONNECTING) this.ws.close(1000);
  }

  private received(data: Buffer, isBinary: boolean): void {
    // Orchard sends text frames only to a client without a User-Agent, which this one never is.
    const chunk = isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new TextEncoder().encode(String(data));
    if (this.sink) this.deliver(chunk);
    else this.buffered.push(chunk);
  }

  private deliver(chunk: Uint8Array): void {
    if (!this.sink!.data(chunk) && !this.paused) {
      this.paused = true;
      this.ws.pause();
    }
  }

  private finish(how: "end" | "error"): void {
    if (this.ended) return;
    this.ended = how;
    this.sink?.closed(how);
  }
}
