// Test and benchmark knobs. Read at every invocation, from env vars (FAKE_TART_<KNOB>, e.g.
// FAKE_TART_BOOT_MS=200, or FAKE_TART_KNOBS='{"boot_ms":200}' for several at once) and then
// from $TART_HOME/fake-tart.json, which wins key by key. The file is re-read by every call,
// so a test can change behaviour of a server that is already running. See README.md.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface FailSpec {
  stderr?: string;
  stdout?: string;
  exit?: number;
}

export interface Knobs {
  latency_ms?: number | Record<string, number>;
  boot_ms?: number;
  ip_fail_ms?: number;
  fail?: Record<string, FailSpec>;
  hang?: string[];
  garbage?: string[];
  crash?: string[];
  pull_steps?: number;
  pull_interval_ms?: number;
  pull_missing?: string[];
  pull_digests?: Record<string, string>;
  pull_disk_gb?: number;
  /** Cut pulls off mid-download: at `at` %, with `error` (default "The network connection was lost."), the first `times` pulls of each reference (default: all). */
  pull_drop?: { at?: number; times?: number; error?: string };
  version?: string;
  run_exit_after_ms?: number;
  run_fail?: FailSpec;
  run_ignore_sigint?: boolean;
  vm_limit?: number;
  vnc_timeout_ms?: number;
  /** `run --vnc-experimental` prints no VNC line (tart's private VNC API failed: it waits forever). */
  vnc_silent?: boolean;
  /** The first three octets of the shared network's DHCP range (vmnet's Shared_Net_Address), default 192.168.64. */
  lease_subnet?: string;
  /** `exec` finds no guest agent in the VM. */
  exec_no_agent?: boolean;
  flood_lines?: number;
  flood_line_bytes?: number;
  gc_error?: string;
  argv_log?: boolean;
  /** `login`'s registries that check credentials: host → user → password (others take any). */
  registry_logins?: Record<string, Record<string, string>>;
  /** `run --net-bridged`'s interfaces (default: the OS's, less loopback). */
  bridged_interfaces?: { identifier: string; displayName?: string }[];
  /** `run --nested` on a host without it: "macos" (before macOS 15) or "chip" (before the M3). */
  nested_unsupported?: "macos" | "chip";
  /** `create --disk-format asif` on a host before macOS 26. */
  asif_unsupported?: boolean;
}

const names: (keyof Knobs)[] = [
  "latency_ms", "boot_ms", "ip_fail_ms", "fail", "hang", "garbage", "crash", "pull_steps",
  "pull_interval_ms", "pull_missing", "pull_digests", "pull_disk_gb", "pull_drop", "version",
  "run_exit_after_ms", "run_fail", "run_ignore_sigint", "vm_limit", "vnc_timeout_ms", "vnc_silent", "lease_subnet", "exec_no_agent", "flood_lines", "flood_line_bytes", "gc_error",
  "argv_log", "registry_logins", "bridged_interfaces", "nested_unsupported", "asif_unsupported",
];

/** Env values are JSON when they parse as JSON; a bare word list like `stop,ip` is a list. */
function envValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw.includes(",") ? raw.split(",").map((s) => s.trim()) : raw;
  }
}

export function loadKnobs(home: string, env = process.env): Knobs {
  const knobs: Record<string, unknown> = {};
  if (env.FAKE_TART_KNOBS) {
    try {
      Object.assign(knobs, JSON.parse(env.FAKE_TART_KNOBS));
    } catch {
      // A broken blob is ignored rather than crashing the fake: tests would see a confusing failure.
    }
  }
  for (const name of names) {
    const raw = env[`FAKE_TART_${name.toUpperCase()}`];
    if (raw !== undefined) knobs[name] = envValue(raw);
  }
  try {
    Object.assign(knobs, JSON.parse(readFileSync(join(home, "fake-tart.json"), "utf8")));
  } catch {
    // No file (the usual case) or a half-written one: env values stand.
  }
  // A single word where a list is expected ("hang": "stop") is taken as a one-item list.
  for (const list of ["hang", "garbage", "crash", "pull_missing"] as const) {
    const v = knobs[list];
    if (typeof v === "string") knobs[list] = [v];
  }
  return knobs as Knobs;
}

/** A knob that is a number or a per-command map; "*" in the map is the default. */
export function perCommand(v: number | Record<string, number> | undefined, cmd: string): number {
  if (typeof v === "number") return v;
  if (v && typeof v === "object") return v[cmd] ?? v["*"] ?? 0;
  return 0;
}

export function listed(list: string[] | undefined, cmd: string): boolean {
  return Array.isArray(list) && (list.includes(cmd) || list.includes("*"));
}

export function num(v: unknown, dflt: number): number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : dflt;
}
