/**
 * GET /api/vms/{name}/console/ws?ticket=…: the browser's RFB over a websocket, relayed to the
 * VM's VNC server over TCP. The guard has checked Host and the exact Origin (a missing Origin is
 * refused for this socket); the ticket is spent here, before the upgrade (403 otherwise).
 *
 * In vnc-experimental mode this process logs in upstream with tart's password first and offers
 * the browser security type None (rfb-auth.ts); in screen-sharing mode bytes are relayed from
 * the first one (noVNC does the guest's ARD login). Back-pressure both ways: TCP reads pause
 * while the websocket's send buffer is full and resume on its drain; bytes for TCP that the
 * kernel does not take are queued in order, and a viewer that floods past MAX_UPSTREAM_QUEUE is
 * closed. One viewer per VM: a new one replaces the old (4003). Close codes: console-close-codes.ts.
 */
import { Elysia, t } from "elysia";
import type { ServerWebSocket } from "bun";
import { AppError } from "../domain/errors.ts";
import { authenticateUpstream, DownstreamHandshake, downstreamGreeting, RfbAuthError } from "../console/rfb-auth.ts";
import { TcpLink } from "../console/tcp-link.ts";
import type { ConsoleTarget, VmConsoles } from "../console/vm-consoles.ts";
import { CLOSE } from "./console-close-codes.ts";
import { checkBinarySubprotocol } from "./console-upgrade.ts";

const CONNECT_TIMEOUT_MS = 5_000;
const MAX_UPSTREAM_QUEUE = 4 << 20;

interface Session {
  vm: string;
  link: TcpLink | null;
  handshake: DownstreamHandshake | null;
  /** Browser bytes that came before the upstream was ready. */
  early: Uint8Array[];
  relaying: boolean;
  closed: boolean;
}

type Socket = ServerWebSocket<unknown>;
type UpgradeContext = { params: { name: string }; query: { ticket?: string }; request: Request; set: { headers: Record<string, unknown> } };

export class ConsoleProxy {
  private readonly sessions = new Map<Socket, Session>();
  private readonly viewers = new Map<string, Socket>();

  constructor(private readonly consoles: VmConsoles, private readonly log: (message: string) => void) {
    consoles.onGone((vm) => {
      const socket = this.viewers.get(vm);
      if (socket) this.shut(socket, CLOSE.vmStopped, "VM stopped");
    });
  }

  routes() {
    return new Elysia({ name: "console-proxy" }).ws("/api/vms/:name/console/ws", {
      query: t.Object({ ticket: t.Optional(t.String()) }),
      // `upgrade`, not beforeHandle: Elysia runs a websocket route's beforeHandle twice, and a ticket is spent once.
      upgrade: (({ params, query, request, set }: UpgradeContext) => {
        const protocol = checkBinarySubprotocol(request);
        if (protocol) set.headers["sec-websocket-protocol"] = protocol;
        if (!this.consoles.redeem(params.name, query.ticket ?? null)) {
          throw new AppError("forbidden", "Console ticket invalid, expired or already used: ask for a new one (POST /api/vms/{name}/console)");
        }
        this.consoles.target(params.name); // 404 / 409 while there is still an HTTP answer to give
      }) as never, // Elysia types `upgrade` as a headers record or a function of the whole context
      open: (ws) => void this.open(ws.raw as Socket, ws.data.params.name),
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

  private async open(socket: Socket, vm: string): Promise<void> {
    const previous = this.viewers.get(vm);
    if (previous) this.shut(previous, CLOSE.replaced, "replaced by another viewer");
    const session: Session = { vm, link: null, handshake: null, early: [], relaying: false, closed: false };
    this.sessions.set(socket, session);
    this.viewers.set(vm, socket);
    let target: ConsoleTarget;
    try {
      target = this.consoles.target(vm);
    } catch (error) {
      return this.shut(socket, CLOSE.vmStopped, (error as Error).message.slice(0, 120));
    }
    let link: TcpLink;
    try {
      link = await TcpLink.connect(target.host, target.port, CONNECT_TIMEOUT_MS);
    } catch {
      return this.shut(socket, CLOSE.unreachable, "console unreachable");
    }
    if (session.closed) return link.end();
    session.link = link;
    if (target.password !== null) {
      try {
        await authenticateUpstream((n) => link.read(n), (bytes) => link.write(bytes), target.password);
      } catch (error) {
        // The reason names no secret: RfbAuthError texts are fixed.
        if (!(error instanceof RfbAuthError)) return this.shut(socket, CLOSE.vmStopped, "VNC server closed the connection");
        this.log(`console of ${vm}: ${error.message}`);
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
    if (this.viewers.get(session.vm) === socket) this.viewers.delete(session.vm);
  }
}
