/**
 * GET /api/vms/{name}/shell/ws?ticket=…&cols=…&rows=…: a terminal on the guest's shell
 * (src/console/vm-shells.ts). Binary frames carry terminal bytes both ways; a text frame from
 * the page is a control message, `{"type":"resize","cols":N,"rows":N}`. The same guards as the
 * console (Host, exact Origin, a one-time ticket). When the shell exits the socket closes with
 * 4005 and the exit code in the reason; closing the page hangs the shell up.
 */
import { Elysia, t } from "elysia";
import type { ServerWebSocket } from "bun";
import { AppError } from "../domain/errors.ts";
import type { ShellProcess, VmShells } from "../console/vm-shells.ts";
import { CLOSE } from "./console-close-codes.ts";
import { checkBinarySubprotocol } from "./console-upgrade.ts";

/** A page that stops reading while the shell prints: closed rather than buffered without end. */
const MAX_BUFFERED = 8 << 20;

type Socket = ServerWebSocket<unknown>;
type UpgradeContext = { params: { name: string }; query: { ticket?: string }; request: Request; set: { headers: Record<string, unknown> } };

const dimension = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 2 && n <= 1000 ? n : fallback;
};

export class ShellStreams {
  private readonly shells = new Map<Socket, ShellProcess>();

  constructor(private readonly vmShells: VmShells) {}

  routes() {
    return new Elysia({ name: "shell-stream" }).ws("/api/vms/:name/shell/ws", {
      query: t.Object({ ticket: t.Optional(t.String()), cols: t.Optional(t.String()), rows: t.Optional(t.String()) }),
      // `upgrade`, not beforeHandle: Elysia runs a websocket route's beforeHandle twice, and a ticket is spent once.
      upgrade: (({ params, query, request, set }: UpgradeContext) => {
        const protocol = checkBinarySubprotocol(request);
        if (protocol) set.headers["sec-websocket-protocol"] = protocol;
        if (!this.vmShells.redeem(params.name, query.ticket ?? null)) {
          throw new AppError("forbidden", "Shell ticket invalid, expired or already used: ask for a new one (POST /api/vms/{name}/shell)");
        }
      }) as never, // Elysia types `upgrade` as a headers record or a function of the whole context
      open: (ws) => this.open(ws.raw as Socket, ws.data.params.name, dimension(ws.data.query.cols, 80), dimension(ws.data.query.rows, 24)),
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

  private open(socket: Socket, name: string, cols: number, rows: number): void {
    let shell: ShellProcess;
    try {
      shell = this.vmShells.spawn(name, { cols, rows }, (bytes) => {
        if (socket.getBufferedAmount() > MAX_BUFFERED) return void socket.close(CLOSE.tooSlow, "terminal too slow");
        socket.sendBinary(bytes);
      });
    } catch (error) {
      return void socket.close(CLOSE.unreachable, (error as Error).message.slice(0, 120));
    }
    this.shells.set(socket, shell);
    void shell.exited.then((code) => {
      if (!this.shells.has(socket)) return;
      this.shells.delete(socket);
      // Let the PTY's last output go out before the close frame.
      setTimeout(() => socket.close(CLOSE.shellEnded, `shell exited with ${code}`), 50);
    });
  }

  private fromPage(socket: Socket, message: unknown): void {
    const shell = this.shells.get(socket);
    if (!shell) return;
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
    const shell = this.shells.get(socket);
    if (!shell) return;
    this.shells.delete(socket);
    shell.kill();
  }
}
