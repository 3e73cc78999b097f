/**
 * The arguments of each tart command this server runs, built in one place: TartCli runs them and
 * the UI's "copy as tart …" preview shows them, so what a dialog shows is what the task runs.
 * Pure and free of server imports on purpose (a type-only one is erased; run-options.ts is pure
 * too): the UI bundle imports this file (as it does names.ts), so it must not pull any server code in. Names reaching these
 * builders are validated already (domain/names.ts), and none starts with `-`.
 */
import type { TartSettings } from "../../domain/ports.ts";
import { runOptionArgs, type VmRunOptions } from "../../domain/run-options.ts";

/**
 * Loopback registries (a registry:2 or zot on localhost:5000) serve plain HTTP, which tart reaches
 * only with --insecure; every other registry is asked over HTTPS (the catalogue does the same).
 */
export const isLoopbackRegistry = (host: string): boolean => /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i.test(host);

/** `--insecure` for a reference to a loopback registry; a local VM name (no `/`) has no host. */
const insecureFor = (name: string): string[] => {
  const slash = name.indexOf("/");
  return slash > 0 && isLoopbackRegistry(name.slice(0, slash)) ? ["--insecure"] : [];
};

/** `tart pull REF` (the server adds CI=1 to the environment, for plain progress lines). */
export const pullArgs = (reference: string): string[] => ["pull", reference, ...insecureFor(reference)];

/** `tart clone SOURCE NEW` (CI=1 too: a clone of an image not pulled yet pulls it first). */
export const cloneArgs = (source: string, target: string): string[] => ["clone", source, target, ...insecureFor(source)];

/** What `tart set` is asked to change (the domain's TartSettings; a type-only import, erased). */
export type SetSettings = TartSettings;

/** `tart set NAME …`, the options in the order tart's help lists them. */
export function setArgs(name: string, settings: SetSettings): string[] {
  const args = ["set", name];
  if (settings.cpu !== undefined) args.push("--cpu", String(settings.cpu));
  if (settings.memoryMiB !== undefined) args.push("--memory", String(settings.memoryMiB));
  if (settings.display !== undefined) args.push("--display", settings.display);
  if (settings.randomMac) args.push("--random-mac");
  if (settings.randomSerial) args.push("--random-serial");
  if (settings.diskSizeGB !== undefined) args.push("--disk-size", String(settings.diskSizeGB));
  return args;
}

/**
 * How a start runs a VM: headless, with Screen Sharing's VNC URL printed once the guest has an IP;
 * `console` instead starts Virtualization.framework's own VNC server (the browser console), the
 * two being mutually exclusive in tart; `suspendable` (macOS guests) lets `tart suspend` save its
 * state; `vm` adds the run options kept for the VM (shared folders, network, …:
 * domain/run-options.ts, pure like this file).
 */
export const runArgs = (name: string, options: { suspendable?: boolean; console?: boolean; vm?: VmRunOptions | null } = {}): string[] => [
  "run",
  ...(options.console ? ["--no-graphics", "--vnc-experimental"] : ["--vnc", "--no-graphics"]),
  ...(options.suspendable ? ["--suspendable"] : []),
  ...(options.vm ? runOptionArgs(options.vm) : []),
  name,
];

/** What `tart create` is asked to make: macOS from an IPSW (`latest`, a URL or a path), or Linux. */
export interface CreateArgs {
  fromIpsw?: string;
  linux?: boolean;
  diskSizeGB?: number;
  diskFormat?: "raw" | "asif";
}

/** `tart create NAME --from-ipsw X|--linux [--disk-size G] [--disk-format F]` (CI=1: plain progress lines). */
export function createArgs(name: string, options: CreateArgs): string[] {
  const args = ["create", name];
  if (options.fromIpsw !== undefined) args.push("--from-ipsw", options.fromIpsw);
  if (options.linux) args.push("--linux");
  if (options.diskSizeGB !== undefined) args.push("--disk-size", String(options.diskSizeGB));
  if (options.diskFormat !== undefined) args.push("--disk-format", options.diskFormat);
  return args;
}

export interface PruneArgs {
  entries: "caches" | "vms";
  olderThanDays?: number;
  spaceBudgetGB?: number;
}

/** `tart prune --entries E [--older-than N] [--space-budget G]`; tart needs one of the last two. */
export function pruneArgs(options: PruneArgs): string[] {
  const args = ["prune", "--entries", options.entries];
  if (options.olderThanDays !== undefined) args.push("--older-than", String(options.olderThanDays));
  if (options.spaceBudgetGB !== undefined) args.push("--space-budget", String(options.spaceBudgetGB));
  return args;
}

/**
 * `tart login HOST --username U --password-stdin`: the password goes to tart's standard input,
 * never into its arguments (which any user of the Mac can read with `ps`).
 */
export const loginArgs = (host: string, username: string): string[] => [
  "login",
  host,
  "--username",
  username,
  "--password-stdin",
  ...(isLoopbackRegistry(host) ? ["--insecure"] : []),
];

/** `tart exec [-i -t] NAME COMMAND…`: a command in the guest, through the guest agent; `tty` for an interactive one in a PTY. */
export const execArgs = (name: string, command: readonly string[], tty = true): string[] => ["exec", ...(tty ? ["-i", "-t"] : []), name, ...command];

export const logoutArgs = (host: string): string[] => ["logout", host];

/** One argument as a POSIX shell reads it: bare when safe, else single-quoted. */
export function shellQuote(part: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`;
}

/** `tart` and its arguments as one line to paste into a terminal. */
export const commandLine = (args: readonly string[]): string => ["tart", ...args.map(shellQuote)].join(" ");
