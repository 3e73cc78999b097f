/**
 * The console of an Orchard cluster VM: its VNC server on port 5900 (the guest's own Screen
 * Sharing, as `orchard vnc` opens it), reached through the controller's port-forward websocket
 * (port-forward-link.ts) and relayed by the same console proxy as local VMs. The ticket request
 * asks the controller for the VM first, so a missing or not-running VM is this request's 404 /
 * 409; the login is the guest's, done by noVNC in the browser ("screen-sharing"). Orchard's
 * refusals of the port-forward itself (404, 408, 417) become the websocket's close codes.
 */
import type { ConsoleTickets } from "../console/console-tickets.ts";
import { UpstreamRefused, type ConsoleSource, type OpenedUpstream } from "../console/console-upstream.ts";
import { SCREEN_SHARING_PORT, type ConsoleTicket } from "../console/vm-consoles.ts";
import { CLOSE } from "../ws/console-close-codes.ts";
import type { ClusterDirectory } from "./cluster-directory.ts";
import { PortForwardLink, PortForwardRefused } from "./port-forward-link.ts";
import { runningClusterVm } from "./running-cluster-vm.ts";
import { controllerRefusal } from "./controller-refusals.ts";

/** Seconds the controller waits for the VM to run before its 408 (the ticket saw it running). */
const PORT_FORWARD_WAIT_S = 10;

export type ClusterConsoleParams = { cluster: string; name: string };
type Params = ClusterConsoleParams;

export class ClusterConsoles implements ConsoleSource<Params> {
  readonly path = "/api/clusters/:cluster/vms/:name/console/ws";

  constructor(private readonly o: { directory: ClusterDirectory; tickets: ConsoleTickets }) {}

  /** POST /api/clusters/{cluster}/vms/{name}/console. */
  async ticket(cluster: string, name: string): Promise<ConsoleTicket> {
    await runningClusterVm(this.o.directory, cluster, name, "a console");
    const ticket = this.o.tickets.issue(this.key({ cluster, name }), "cluster-console");
    return {
      ticket,
      ws_url: `/api/clusters/${encodeURIComponent(cluster)}/vms/${encodeURIComponent(name)}/console/ws?ticket=${ticket}`,
      expires_in: this.o.tickets.ttlSeconds,
      mode: "screen-sharing",
      credentials: null,
    };
  }

  key(params: Params): string {
    return `${params.cluster}/${params.name}`;
  }

  redeem(params: Params, ticket: string | null): boolean {
    return this.o.tickets.redeem(ticket, this.key(params), "cluster-console");
  }

  async open(params: Params): Promise<OpenedUpstream> {
    try {
      const client = this.o.directory.client(params.cluster);
      return { upstream: await PortForwardLink.open(client, params.name, SCREEN_SHARING_PORT, PORT_FORWARD_WAIT_S), login: null };
    } catch (error) {
      throw refusal(error);
    }
  }
}

/** Orchard's answers to a port-forward (503: the worker could not be reached). */
function refusal(error: unknown): UpstreamRefused {
  if (!(error instanceof PortForwardRefused)) return new UpstreamRefused(CLOSE.clusterVmGone, (error as Error).message);
  return controllerRefusal(error.status);
}
