/**
 * The shell of an Orchard cluster VM: the guest user's login shell in a terminal, through the
 * controller's exec websocket (exec-link.ts; the controller SSHes in with the VM's own
 * username and password, so this app needs no guest login), relayed to the page by the same
 * shell socket as a local VM's (src/ws/shell-stream.ts). The ticket request asks the controller
 * for the VM first: a missing VM is its 404, one that is not running its 409.
 */
import type { ConsoleTickets } from "../console/console-tickets.ts";
import type { ShellProcess, ShellTicket } from "../console/vm-shells.ts";
import type { ShellSource, TerminalSize } from "../ws/shell-stream.ts";
import type { ClusterDirectory } from "./cluster-directory.ts";
import { openExec } from "./exec-link.ts";
import { runningClusterVm } from "./running-cluster-vm.ts";

/**
 * sshd runs the command through the user's shell with SHELL set to it, so this is the login
 * shell whatever the guest is (zsh on macOS, bash on most Linux images).
 */
export const LOGIN_SHELL_COMMAND = 'exec "$SHELL" -l';
/** Seconds the controller waits for the VM to run before its 408 (the ticket saw it running). */
const EXEC_WAIT_S = 10;

export type ClusterShellParams = { cluster: string; name: string };

export class ClusterShells implements ShellSource<ClusterShellParams> {
  readonly path = "/api/clusters/:cluster/vms/:name/shell/ws";

  constructor(private readonly o: { directory: ClusterDirectory; tickets: ConsoleTickets }) {}

  /** POST /api/clusters/{cluster}/vms/{name}/shell. */
  async ticket(cluster: string, name: string): Promise<ShellTicket> {
    await runningClusterVm(this.o.directory, cluster, name, "a shell");
    const ticket = this.o.tickets.issue(key({ cluster, name }), "cluster-shell");
    return {
      ticket,
      ws_url: `/api/clusters/${encodeURIComponent(cluster)}/vms/${encodeURIComponent(name)}/shell/ws?ticket=${ticket}`,
      expires_in: this.o.tickets.ttlSeconds,
      shell: "login shell",
    };
  }

  redeem(params: ClusterShellParams, ticket: string | null): boolean {
    return this.o.tickets.redeem(ticket, key(params), "cluster-shell");
  }

  spawn(params: ClusterShellParams, size: TerminalSize, data: (bytes: Uint8Array) => void): Promise<ShellProcess> {
    const client = this.o.directory.client(params.cluster);
    return openExec(client, { name: params.name, command: LOGIN_SHELL_COMMAND, size, waitSeconds: EXEC_WAIT_S }, data);
  }
}

const key = (params: ClusterShellParams) => `${params.cluster}/${params.name}`;
