/**
 * What the console proxy (src/ws/console-proxy.ts) relays the browser's RFB to: one byte stream
 * with back-pressure, whichever way it reaches the VNC server — a TCP connection on this Mac
 * (tcp-link.ts) or an Orchard controller's port-forward websocket (orchard/port-forward-link.ts).
 * A console source says where a VM's console is and opens its upstream; the proxy does the rest
 * (ticket, one viewer per VM, flow control, close codes) the same way for both.
 */
export interface RelaySink {
  /** Takes a chunk; false means "stop reading until resume()". */
  data(chunk: Uint8Array): boolean;
  /** The connection ended (peer closed, error, or our end()). */
  closed(reason: "end" | "error"): void;
}

export interface ConsoleUpstream {
  /** From now on every chunk goes to `sink`, bytes already received first. */
  relayTo(sink: RelaySink): void;
  /** Sends bytes in order; what cannot go out at once is queued (see pendingWrite). */
  write(bytes: Uint8Array): void;
  /** Bytes given to write() that have not left yet: the proxy closes a viewer that floods. */
  readonly pendingWrite: number;
  /** Reading was paused by a sink's false: start again (the browser's socket drained). */
  resume(): void;
  end(): void;
}

export interface OpenedUpstream {
  upstream: ConsoleUpstream;
  /** vnc-experimental: the proxy logs in upstream with this password before relaying. */
  login: { password: string; read(n: number): Promise<Uint8Array>; write(bytes: Uint8Array): void } | null;
}

/** Opening failed: the websocket closes with this code (console-close-codes.ts) and reason. */
export class UpstreamRefused extends Error {
  constructor(readonly code: number, readonly reason: string) {
    super(reason);
    this.name = "UpstreamRefused";
  }
}

/** One family of consoles (local VMs, one cluster's VMs), keyed by a string the proxy uses per viewer. */
export interface ConsoleSource<P> {
  /** The websocket route, e.g. /api/vms/:name/console/ws. */
  readonly path: string;
  /** Which console: one viewer per key. */
  key(params: P): string;
  /** Spends the ticket (single use); false when unknown, expired or for another console. */
  redeem(params: P, ticket: string | null): boolean;
  /** Throws the AppError (404/409) while an HTTP answer can still be given; optional. */
  check?(params: P): void;
  /** Connects to the console; throws UpstreamRefused. */
  open(params: P): Promise<OpenedUpstream>;
  /** Consoles that went away (a VM's run exited): their viewers are closed. */
  onGone?(listener: (key: string) => void): void;
}
