/**
 * How long each tart command may run before it is killed. Quick queries get seconds; anything that
 * moves disk images gets an hour. TARTVM_TART_TIMEOUTS (JSON, milliseconds per command) overrides
 * single entries — for slow machines, and for tests that make tart hang.
 */
export type TartCommand = "run" | "version" | "list" | "get" | "ip" | "fqn" | "stop" | "suspend" | "rename" | "delete" | "clone" | "create" | "set" | "pull" | "prune" | "login" | "logout";
export type TartTimeouts = Record<TartCommand, number>;

const DEFAULT_TIMEOUTS: TartTimeouts = {
  run: 30_000, // the wait for `run --vnc-experimental`'s VNC line: tart itself waits forever
  version: 10_000,
  list: 30_000,
  get: 15_000,
  ip: 10_000,
  fqn: 10_000,
  stop: 60_000, // tart stop's own --timeout is 30 s, then SIGKILL
  suspend: 15_000, // only sends SIGUSR1 and returns
  rename: 30_000, // one folder move
  delete: 120_000,
  clone: 3_600_000, // clone auto-pulls an uncached OCI source
  create: 7_200_000, // an IPSW install: a download of ~15 GB, then macOS installs itself
  set: 600_000, // growing an ASIF disk can take a while
  pull: 3_600_000,
  prune: 600_000, // deleting many large images or VMs
  login: 60_000, // tart asks the registry whether it takes the credentials
  logout: 15_000,
};

export function parseTimeouts(json: string | undefined): TartTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS };
  if (!json) return timeouts;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error("TARTVM_TART_TIMEOUTS must be a JSON object of milliseconds per command");
  }
  for (const [command, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(command in timeouts)) throw new Error(`TARTVM_TART_TIMEOUTS: unknown command ${command}`);
    if (typeof value !== "number" || !(value > 0)) throw new Error(`TARTVM_TART_TIMEOUTS: ${command} must be > 0`);
    timeouts[command as TartCommand] = value;
  }
  return timeouts;
}
