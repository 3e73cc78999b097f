/**
 * Which console a VM has, and where its proxy must dial:
 *  - "vnc-experimental": this server started it with `{"console": true}` and read tart's VNC
 *    line (console-endpoints.ts); the proxy logs in itself (rfb-auth.ts);
 *  - "screen-sharing": a running macOS guest started the seed's way: its own Screen Sharing on
 *    <guest-ip>:5900, relayed as is; noVNC does Apple's ARD login with the user's credentials.
 * Anything else has no console, and a ticket request says why (409).
 */
import { AppError, notFound } from "../domain/errors.ts";
import type { Vm } from "../domain/vm.ts";
import type { ConsoleEndpoints } from "./console-endpoints.ts";
import type { ConsoleTickets } from "./console-tickets.ts";
import type { GuestCredentials, ScreenSharingCredentials } from "./screen-sharing-credentials.ts";

export type ConsoleMode = "vnc-experimental" | "screen-sharing";
export const SCREEN_SHARING_PORT = 5900;

export interface ConsoleTarget {
  mode: ConsoleMode;
  host: string;
  port: number;
  /** The VNC password the proxy answers with (vnc-experimental only). */
  password: string | null;
}

export interface ConsoleTicket {
  ticket: string;
  ws_url: string;
  expires_in: number;
  mode: ConsoleMode;
  /** Screen Sharing only: the guest login the user asked to remember for this VM, else null. */
  credentials?: GuestCredentials | null;
}

export class VmConsoles {
  constructor(
    private readonly o: {
      endpoints: ConsoleEndpoints;
      tickets: ConsoleTickets;
      find: (name: string) => Vm | null;
      credentials: ScreenSharingCredentials;
    },
  ) {}

  /** POST /api/vms/{name}/console. */
  ticket(name: string): ConsoleTicket {
    const target = this.target(name);
    const ticket = this.o.tickets.issue(name, "console");
    return {
      ticket,
      ws_url: `/api/vms/${encodeURIComponent(name)}/console/ws?ticket=${ticket}`,
      expires_in: this.o.tickets.ttlSeconds,
      mode: target.mode,
      ...(target.mode === "screen-sharing" ? { credentials: this.o.credentials.get(name) } : {}),
    };
  }

  /** Where the VM's console is now; a 404 or a 409 saying why there is none. */
  target(name: string): ConsoleTarget {
    const vm = this.o.find(name);
    if (!vm) throw notFound(`VM ${name} not found`);
    const endpoint = this.o.endpoints.get(vm.name);
    if (endpoint) return { mode: "vnc-experimental", host: "127.0.0.1", port: endpoint.port, password: endpoint.password };
    if (vm.status !== "running") throw new AppError("conflict", `VM ${vm.name} is not running: start it with {"console": true} for a console`);
    if (vm.os === "darwin" && vm.ip_address) {
      return { mode: "screen-sharing", host: vm.ip_address, port: SCREEN_SHARING_PORT, password: null };
    }
    if (vm.os === "darwin") throw new AppError("conflict", `VM ${vm.name} has no IP address yet: its Screen Sharing cannot be reached`);
    throw new AppError(
      "conflict",
      `VM ${vm.name} has no console: it was not started by this server with {"console": true} (stop it, then start it with the console)`,
    );
  }

  /** Spends a ticket (single use); false when it is unknown, expired or for another VM. */
  redeem(name: string, ticket: string | null): boolean {
    return this.o.tickets.redeem(ticket, name, "console");
  }

  /** Remembers (or, with null, forgets) the guest's Screen Sharing login for this VM. */
  rememberCredentials(name: string, credentials: GuestCredentials | null): void {
    if (!this.o.find(name)) throw notFound(`VM ${name} not found`);
    if (credentials) this.o.credentials.remember(name, credentials);
    else this.o.credentials.forget(name);
  }

  onGone(listener: (name: string) => void): () => void {
    return this.o.endpoints.onGone(listener);
  }
}
