/**
 * The console websockets: the browser's RFB relayed to a VM's VNC server, for each console
 * source (console-upstream.ts): GET /api/vms/{name}/console/ws over TCP on this Mac, and
 * GET /api/clusters/{cluster}/vms/{name}/console/ws over an Orchard controller's port-forward.
 * The guard has checked Host and the exact Origin (a missing Origin is refused for these
 * sockets); the ticket is spent here, before the upgrade (403 otherwise).
 *
 * With a login (vnc-experimental) this process logs in upstream with tart's password first and
 * offers the browser security type None (rfb-auth.ts); otherwise (screen-sharing) bytes are
 * relayed from the first one (noVNC does the guest's ARD login). Back-pressure both ways:
 * upstream reads pause while the websocket's send buffer is full and resume on its drain; bytes
 * for upstream that cannot leave at once are queued in order, and a viewer that floods past
 * MAX_UPSTREAM_QUEUE is closed. One viewer per console: a new one replaces the old (4003).
 * Close codes: console-close-codes.ts.
 */
import { Elysia, t } from "elysia";
import type { ServerWebSocket } from "bun";
import { AppError } from "../domain/errors.ts";
import { authenticateUpstream, DownstreamHandshake, downstreamGreeting, RfbAuthError } from "../console/rfb-auth.ts";
import { UpstreamRefused, type ConsoleSource, type ConsoleUpstream, type OpenedUpstream } from "../console/console-upstream.ts";
import { CLOSE } from "./console-close-codes.ts";
import { checkBinarySubprotocol } from "./console-upgrade.ts";

const MAX_UPSTREAM_QUEUE = 4 << 20;

interface Session {
  key: string;
  link: ConsoleUpstream | null;
  handshake: DownstreamHandshake | null;
  /** Browser bytes that came before the upstream was ready. */
  early: Uint8Array[];
  relaying: boolean;
  closed: boolean;
}

type Socket = ServerWebSocket<unknown>;
type UpgradeContext<P> = { params: P; query: { ticket?: string }; request: Request; set: { headers: Record<string, unknown> } };

export class ConsoleProxy<P extends Record<string, string>> {
  private readonly sessions = new Map<Socket, Session>();
  private readonly viewers = new Map<string, Socket>();

  constructor(private readonly source: ConsoleSource<P>, private readonly log: (message: string) => void) {
    source.onGone?.((key) => {
      const socket = this.viewers.get(key);
      if (socket) this.shut(socket, CLOSE.vmStopped, "VM stopped");
    });
  }

  routes() {
    return new Elysia({ name: `console-proxy ${this.source.path}` }).ws(this.source.path, {
      query: t.Object({ ticket: t.Optional(t.String()) }),
      // `upgrade`, not beforeHandle: Elysia runs a websocket route's beforeHandle twice, and a ticket is spent once.
      upgrade: (({ params, query, request, set }: UpgradeContext<P>) => {
        const protocol = checkBinarySubprotocol(request);
        if (protocol) set.headers["sec-websocket-protocol"] = protocol;
        if (!this.source.redeem(params, query.ticket ?? null)) {
          throw new AppError("forbidden", `Console ticket invalid, expired or already used: ask for a new one (POST ${this.source.path.replace(/\/ws$/, "").replace(/:(\w+)/g, "{$1}")})`);
        }
        this.source.check?.(params); // 404 / 409 while there is still an HTTP answer to give
      }) as never, // Elysia types `upgrade` as a headers record or a function of the whole context
      open: (ws) => void this.open(ws.raw as Socket, ws.data.params as P),
      message: (ws, message) => this.fromBrowser(ws.raw as Socket, message),
      drain: (ws) => this.sessions.get(ws.raw as Socket)?.link?.resume(),
      close: (ws) => this.closed(ws.raw as Socket),
    });
  }

  /** Server shutdown: every viewer is told "going away". */
  closeAll(): void {
    for (const socket of [...this.sessions.keys()]) this.shut(socket, 1001, "server shutting down");
  }

  get count(): number {
    return this.sessions.size;
  }

  private async open(socket: Socket, params: P): Promise<void> {
    const key = this.source.key(params);
    const previous = this.viewers.get(key);
    if (previous) this.shut(previous, CLOSE.replaced, "replaced by another viewer");
    const session: Session = { key, link: null, handshake: null, early: [], relaying: false, closed: false };
    this.sessions.set(socket, session);
    this.viewers.set(key, socket);
    let opened: OpenedUpstream;
    try {
      opened = await this.source.open(params);
    } catch (error) {
      if (error instanceof UpstreamRefused) return this.shut(socket, error.code, error.reason.slice(0, 120));
      this.log(`console of ${key}: ${(error as Error).message}`);
      return this.shut(socket, CLOSE.unreachable, "console unreachable");
    }
    const link = opened.upstream;
    if (session.closed) return link.end();
    session.link = link;
    if (opened.login) {
      try {
        await authenticateUpstream(opened.login.read, opened.login.write, opened.login.password);
      } catch (error) {
        // The reason names no secret: RfbAuthError texts are fixed.
        if (!(error instanceof RfbAuthError)) return this.shut(socket, CLOSE.vmStopped, "VNC server closed the connection");
        this.log(`console of ${key}: ${error.message}`);
        return this.shut(socket, CLOSE.upstreamAuthFailed, "upstream auth failed");
      }
      if (session.closed) return link.end();
      session.handshake = new DownstreamHandshake();
      socket.sendBinary(downstreamGreeting());
    }
    link.relayTo({
      data: (chunk) => this.toBrowser(socket, session, chunk),
      closed: () => this.shut(socket, CLOSE.vmStopped, "VNC server closed the connection"),
    });
    session.relaying = true;
    const early = session.early;
    session.early = [];
    for (const chunk of early) this.fromBrowser(socket, chunk);
  }

  /** false: the websocket's buffer is full; TCP reads pause until its drain. */
  private toBrowser(socket: Socket, session: Session, chunk: Uint8Array): boolean {
    if (session.closed) return false;
    const sent = socket.sendBinary(chunk);
    if (sent === 0) {
      this.shut(socket, CLOSE.tooSlow, "viewer too slow"); // dropped: the RFB stream would be corrupt
      return false;
    }
    return sent > 0;
  }

  private fromBrowser(socket: Socket, message: unknown): void {
    const session = this.sessions.get(socket);
    if (!session || session.closed) return;
    if (!(message instanceof Uint8Array)) return this.shut(socket, CLOSE.textFrame, "binary frames only");
    const link = session.link;
    if (!link || !session.relaying) return void session.early.push(message);
    if (session.handshake && !session.handshake.done) {
      let step;
      try {
        step = session.handshake.feed(message);
      } catch (error) {
        return this.shut(socket, 1002, (error as Error).message);
      }
      for (const reply of step.reply) socket.sendBinary(reply);
      if (!step.rest.length) return;
      message = step.rest;
    }
    link.write(message as Uint8Array);
    if (link.pendingWrite > MAX_UPSTREAM_QUEUE) this.shut(socket, CLOSE.tooSlow, "viewer sends faster than the VM reads");
  }

  /** Closes the websocket with `code` (first: ending the TCP side calls back into here) and the TCP side. */
  private shut(socket: Socket, code: number, reason: string): void {
    const session = this.sessions.get(socket);
    if (session?.closed) return;
    if (session) session.closed = true;
    try {
      socket.close(code, reason);
    } catch {
      // already closed
    }
    this.closed(socket);
  }

  private closed(socket: Socket): void {
    const session = this.sessions.get(socket);
    if (!session) return;
    session.closed = true;
    session.link?.end();
    this.sessions.delete(socket);
    if (this.viewers.get(session.key) === socket) this.viewers.delete(session.key);
  }
}
