/**
 * The close codes of the console and shell websockets, shared with the UI, which explains each
 * one (a refused upgrade never reaches the page as a code: the ticket request reports those).
 * Pure and import-free: the UI bundle imports it.
 */
export const CLOSE = {
  vmStopped: 4000,
  upstreamAuthFailed: 4001,
  ticketInvalid: 4002,
  replaced: 4003,
  tooSlow: 4004,
  shellEnded: 4005,
  clusterVmNotRunning: 4006,
  clusterVmFailed: 4007,
  clusterVmGone: 4008,
  unreachable: 1011,
  textFrame: 1003,
} as const;

export const CLOSE_EXPLAINED: Record<number, string> = {
  [CLOSE.vmStopped]: "The VM stopped (its tart run exited), or its VNC server closed the connection.",
  [CLOSE.upstreamAuthFailed]: "The server could not log in to the VM's VNC server.",
  [CLOSE.ticketInvalid]: "The console ticket was invalid or expired.",
  [CLOSE.replaced]: "Another viewer opened this VM's console; only one viewer at a time.",
  [CLOSE.tooSlow]: "The connection could not keep up and was closed.",
  [CLOSE.shellEnded]: "The shell ended.",
  [CLOSE.clusterVmNotRunning]: "The cluster VM is not running on its worker: the Orchard controller stopped waiting for it (408).",
  [CLOSE.clusterVmFailed]: "The cluster VM is in a terminal state (failed): its console cannot be reached (417).",
  [CLOSE.clusterVmGone]: "The cluster has no VM of this name any more (404).",
  [CLOSE.unreachable]: "The VM's console could not be reached.",
  [CLOSE.textFrame]: "The viewer sent text; the console carries binary RFB only.",
  1000: "Closed.",
  1001: "The server is shutting down.",
  1006: "The connection was lost (or refused).",
};
