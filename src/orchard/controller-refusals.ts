/**
 * Orchard's refusals of a websocket upgrade (port-forward, exec; spec orchard.md §3, §7) as the
 * console and shell sockets' close codes, which the UI explains. `unavailable` says what a 503
 * meant for this route (the worker's dial, the controller's SSH login).
 */
import { UpstreamRefused } from "../console/console-upstream.ts";
import { CLOSE } from "../ws/console-close-codes.ts";

export function controllerRefusal(status: number, unavailable?: string): UpstreamRefused {
  switch (status) {
    case 404:
      return new UpstreamRefused(CLOSE.clusterVmGone, "no such VM on the cluster");
    case 408:
      return new UpstreamRefused(CLOSE.clusterVmNotRunning, "VM is not running on its worker");
    case 417:
      return new UpstreamRefused(CLOSE.clusterVmFailed, "VM is in a terminal state");
    case 401:
    case 403:
      return new UpstreamRefused(CLOSE.unreachable, "the controller refused the service account");
    case 503:
      if (unavailable) return new UpstreamRefused(CLOSE.unreachable, unavailable);
    // falls through
    default:
      // 0: the controller could not be reached at all.
      return new UpstreamRefused(CLOSE.unreachable, status ? `the controller answered ${status}` : "controller unreachable");
  }
}
