/**
 * The consoles of this Mac's VMs as a console source for the proxy: where vm-consoles.ts says the
 * console is, over TCP (tcp-link.ts); a vnc-experimental console comes with tart's password,
 * which the proxy answers upstream with (rfb-auth.ts).
 */
import { CLOSE } from "../ws/console-close-codes.ts";
import { UpstreamRefused, type ConsoleSource, type OpenedUpstream } from "./console-upstream.ts";
import { TcpLink } from "./tcp-link.ts";
import type { ConsoleTarget, VmConsoles } from "./vm-consoles.ts";

const CONNECT_TIMEOUT_MS = 5_000;

type Params = { name: string };

export class LocalConsoleSource implements ConsoleSource<Params> {
  readonly path = "/api/vms/:name/console/ws";

  constructor(private readonly consoles: VmConsoles) {}

  key(params: Params): string {
    return params.name;
  }

  redeem(params: Params, ticket: string | null): boolean {
    return this.consoles.redeem(params.name, ticket);
  }

  check(params: Params): void {
    this.consoles.target(params.name);
  }

  async open(params: Params): Promise<OpenedUpstream> {
    let target: ConsoleTarget;
    try {
      target = this.consoles.target(params.name);
    } catch (error) {
      throw new UpstreamRefused(CLOSE.vmStopped, (error as Error).message.slice(0, 120));
    }
    let link: TcpLink;
    try {
      link = await TcpLink.connect(target.host, target.port, CONNECT_TIMEOUT_MS);
    } catch {
      throw new UpstreamRefused(CLOSE.unreachable, "console unreachable");
    }
    const password = target.password;
    return {
      upstream: link,
      login: password === null ? null : { password, read: (n) => link.read(n), write: (bytes) => link.write(bytes) },
    };
  }

  onGone(listener: (key: string) => void): void {
    this.consoles.onGone(listener);
  }
}
