/**
 * The shell websockets: GET /api/vms/{name}/shell/ws and a cluster VM's
 * /api/clusters/{cluster}/vms/{name}/shell/ws, ?ticket=…&cols=…&rows=…: a terminal on the guest's
 * shell, one protocol for both (the page is the same): binary frames carry terminal bytes both
 * ways; a text frame from the page is a control message, `{"type":"resize","cols":N,"rows":N}`.
 * The same guards as the console (Host, exact Origin, a one-time ticket). When the shell exits
 * the socket closes with 4005 and the exit code in the reason; closing the page hangs the shell
 * up. Where the shell comes from is the source's business (src/console/vm-shells.ts: tart exec
 * in a PTY of ours; src/orchard/cluster-shells.ts: the controller's exec websocket).
 */
import { Elysia, t } from "elysia";
import type { ServerWebSocket } from "bun";
import { AppError } from "../domain/errors.ts";
import { UpstreamRefused } from "../console/console-upstream.ts";
import type { ShellProcess } from "../console/vm-shells.ts";
import { CLOSE } from "./console-close-codes.ts";
import { checkBinarySubprotocol } from "./console-upgrade.ts";

/** A page that stops reading while the shell prints: closed rather than buffered without end. */
const MAX_BUFFERED = 8 << 20;

type Socket = ServerWebSocket<unknown>;
type UpgradeContext<P> = { params: P; query: { ticket?: string }; request: Request; set: { headers: Record<string, unknown> } };
export type TerminalSize = { cols: number; rows: number };

/** One family of shells (local VMs, cluster VMs). `spawn` may refuse with an UpstreamRefused (its close code). */
export interface ShellSource<P> {
  /** The websocket route, e.g. /api/vms/:name/shell/ws. */
  readonly path: string;
  redeem(params: P, ticket: string | null): boolean;
  spawn(params: P, size: TerminalSize, data: (bytes: Uint8Array) => void): ShellProcess | Promise<ShellProcess>;
}

const dimension = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 2 && n <= 1000 ? n : fallback;
};

export class ShellStreams<P = { name: string }> {
  private readonly shells = new Map<Socket, ShellProcess | null>();
  /** What the page sent while its shell was still opening (a cluster VM's takes a round trip). */
  private readonly early = new Map<Socket, ((shell: ShellProcess) => void)[]>();

  constructor(private readonly source: ShellSource<P>) {}

  routes() {
    const ticketRoute = `POST ${this.source.path.replace(/\/ws$/, "").replace(/:(\w+)/g, "{$1}")}`;
    return new Elysia({ name: `shell-stream ${this.source.path}` }).ws(this.source.path, {
      query: t.Object({ ticket: t.Optional(t.String()), cols: t.Optional(t.String()), rows: t.Optional(t.String()) }),
      // `upgrade`, not beforeHandle: Elysia runs a websocket route's beforeHandle twice, and a ticket is spent once.
      upgrade: (({ params, query, request, set }: UpgradeContext<P>) => {
        const protocol = checkBinarySubprotocol(request);
        if (protocol) set.headers["sec-websocket-protocol"] = protocol;
        if (!this.source.redeem(params, query.ticket ?? null)) {
          throw new AppError("forbidden", `Shell ticket invalid, expired or already used: ask for a new one (${ticketRoute})`);
        }
      }) as never, // Elysia types `upgrade` as a headers record or a function of the whole context
      open: (ws) =>
        void this.open(ws.raw as Socket, ws.data.params as P, { cols: dimension(ws.data.query.cols, 80), rows: dimension(ws.data.query.rows, 24) }),
      message: (ws, message) => this.fromPage(ws.raw as Socket, message),
      close: (ws) => this.closed(ws.raw as Socket),
    });
  }

  closeAll(): void {
    for (const socket of [...this.shells.keys()]) {
      this.closed(socket);
      socket.close(1001, "server shutting down");
    }
  }

  private async open(socket: Socket, params: P, size: TerminalSize): Promise<void> {
    this.shells.set(socket, null); // opening: a close now must still hang the shell up once it is there
    this.early.set(socket, []);
    let shell: ShellProcess;
    try {
      shell = await this.source.spawn(params, size, (bytes) => {
        if (socket.getBufferedAmount() > MAX_BUFFERED) return void socket.close(CLOSE.tooSlow, "terminal too slow");
        socket.sendBinary(bytes);
      });
    } catch (error) {
      this.early.delete(socket);
      if (!this.shells.delete(socket)) return;
      const code = error instanceof UpstreamRefused ? error.code : CLOSE.unreachable;
      return void socket.close(code, (error as Error).message.slice(0, 120));
    }
    const early = this.early.get(socket) ?? [];
    this.early.delete(socket);
    if (!this.shells.has(socket)) return shell.kill(); // the page left while the shell was opening
    this.shells.set(socket, shell);
    for (const send of early) send(shell);
    void shell.exited.then(
      (code) => {
        if (!this.shells.delete(socket)) return;
        // Let the PTY's last output go out before the close frame.
        setTimeout(() => socket.close(CLOSE.shellEnded, `shell exited with ${code}`), 50);
      },
      (error) => {
        if (!this.shells.delete(socket)) return;
        socket.close(error instanceof UpstreamRefused ? error.code : CLOSE.unreachable, String((error as Error).message).slice(0, 120));
      },
    );
  }

  private fromPage(socket: Socket, message: unknown): void {
    const shell = this.shells.get(socket);
    if (shell) return this.deliver(shell, message);
    this.early.get(socket)?.push((opened) => this.deliver(opened, message));
  }

  private deliver(shell: ShellProcess, message: unknown): void {
    if (message instanceof Uint8Array) return shell.write(message);
    // Elysia hands a text frame over parsed as JSON when it is JSON.
    const control = message as { type?: unknown; cols?: unknown; rows?: unknown } | null;
    if (control && typeof control === "object" && control.type === "resize") {
      shell.resize(dimension(String(control.cols), 80), dimension(String(control.rows), 24));
      return;
    }
    if (typeof message === "string") return shell.write(message);
  }

  private closed(socket: Socket): void {
    this.early.delete(socket);
    if (!this.shells.has(socket)) return;
    const shell = this.shells.get(socket);
    this.shells.delete(socket);
    shell?.kill();
  }
}
