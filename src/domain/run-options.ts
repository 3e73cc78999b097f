/**
 * Run options kept per VM: what `tart run` is told besides how this server always runs it
 * (`--vnc --no-graphics`). Tart keeps none of these between runs, so the server keeps them
 * (run-options-kept.ts) and checks them here, with tart's own rules, before tart ever sees them:
 * the network modes are mutually exclusive (Run.swift validate(): softnet's allow/block imply
 * --net-softnet), shared folders need a name each (tart: "for multiple directory shares each one
 * of them should be named"), `--nested` is for Linux guests on macOS 15+ hosts, and each flag
 * needs the tart release that brought it (the first tag containing it, in tart's history).
 *
 * Pure and free of runtime imports: the UI imports it (as it does names.ts) to check a form as it
 * is typed and to show the guest-side mount hints.
 */

export type NetworkMode = "nat" | "bridged" | "softnet" | "host";

export interface SharedFolder {
  /** The folder's name in the guest: `/Volumes/My Shared Files/<name>` on macOS. */
  name: string;
  /** An absolute directory on this host. */
  path: string;
  read_only: boolean;
}

export interface RunNetwork {
  mode: NetworkMode;
  /** `bridged`: the host interface, e.g. `en0`. */
  interface?: string | null;
  /** `softnet`: CIDRs the VM may reach beyond softnet's default, and CIDRs it may not. */
  allow?: string[] | null;
  block?: string[] | null;
}

/** The options as stored and as the API shows them (every field present). */
export interface VmRunOptions {
  shared_folders: SharedFolder[];
  network: RunNetwork;
  nested: boolean;
  no_audio: boolean;
  /** `--root-disk-opts`: `ro`, `sync=none|fsync|full`, `caching=automatic|cached|uncached`, comma-separated. */
  root_disk_opts: string | null;
}

/** A request: every field optional (absent: the default). */
export type RunOptionsInput = Partial<{
  shared_folders: { name: string; path: string; read_only?: boolean | null }[] | null;
  network: RunNetwork | null;
  nested: boolean | null;
  no_audio: boolean | null;
  root_disk_opts: string | null;
}>;

export const DEFAULT_RUN_OPTIONS: VmRunOptions = {
  shared_folders: [],
  network: { mode: "nat", interface: null, allow: [], block: [] },
  nested: false,
  no_audio: false,
  root_disk_opts: null,
};

export const MAX_SHARED_FOLDERS = 16;
export const MAX_CIDRS = 32;
export const FOLDER_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$";
const FOLDER_NAME = new RegExp(FOLDER_NAME_PATTERN);
/** Interface names as macOS and Linux give them (`en0`, `bridge100`, `eth0`, `enp0s3`), or a display name (`Wi-Fi`). */
const INTERFACE = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,63}$/;

/**
 * The first tart release with each option (`git tag --contains` of the commit adding it to
 * Run.swift): an older tart would stop at "Unknown option".
 */
export const SINCE: Record<string, string> = {
  "--dir": "0.24.0",
  "--net-bridged": "0.28.0",
  "--net-softnet": "0.31.0",
  "--no-audio": "2.6.0",
  "--net-host": "2.7.0",
  "--net-softnet-allow": "2.7.1",
  "--root-disk-opts": "2.16.0",
  "--nested": "2.20.0",
  "--net-softnet-block": "2.30.0",
};

/** What the checks need to know about this host and the VM. */
export interface RunOptionFacts {
  /** The guest's OS as tart says it (`darwin`, `linux`), or null when not known yet. */
  os: string | null;
  /** `tart --version` (`2.32.1`, `SNAPSHOT` for a source build), or null when not known. */
  tartVersion: string | null;
  /** `macOS` and its version (`15.5`), or another platform (then its rules are not checked). */
  hostOs: { name: string; version: string | null } | null;
  /** The interfaces a bridged network may use, or null when they could not be read. */
  interfaces: string[] | null;
  /** Whether an absolute path is a directory on this host. */
  isDirectory(path: string): boolean;
}

/** A request made whole and checked; throws RunOptionsError naming the field at fault. */
export function checkRunOptions(input: RunOptionsInput, facts: RunOptionFacts): VmRunOptions {
  const options: VmRunOptions = {
    shared_folders: (input.shared_folders ?? []).map((folder) => ({ name: folder.name, path: folder.path, read_only: folder.read_only === true })),
    network: normalNetwork(input.network ?? DEFAULT_RUN_OPTIONS.network),
    nested: input.nested === true,
    no_audio: input.no_audio === true,
    root_disk_opts: input.root_disk_opts?.trim() ? input.root_disk_opts.trim() : null,
  };
  for (const problem of problemsOf(options, facts)) throw new RunOptionsError(problem);
  return options;
}

/** Every problem with a set of options, each as `field: what is wrong` (none: they may run). */
export function problemsOf(options: VmRunOptions, facts: RunOptionFacts): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  if (options.shared_folders.length > MAX_SHARED_FOLDERS) problems.push(`shared_folders: at most ${MAX_SHARED_FOLDERS} folders`);
  options.shared_folders.forEach((folder, i) => {
    const field = `shared_folders[${i}]`;
    if (!FOLDER_NAME.test(folder.name)) {
      problems.push(`${field}.name: "${folder.name}" must be 1 to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit`);
    } else if (seen.has(folder.name.toLowerCase())) {
      problems.push(`${field}.name: "${folder.name}" is already the name of another shared folder (macOS guests see the names case-insensitively)`);
    }
    seen.add(folder.name.toLowerCase());
    if (!folder.path.startsWith("/")) problems.push(`${field}.path: "${folder.path}" must be an absolute path on this host`);
    // tart splits `name:path:options` at colons: a colon in the path would change its meaning.
    else if (folder.path.includes(":")) problems.push(`${field}.path: "${folder.path}" contains a colon, which tart's --dir cannot take`);
    else if (!facts.isDirectory(folder.path)) problems.push(`${field}.path: ${folder.path} is not a directory on this host`);
  });
  problems.push(...networkProblems(options.network, facts.interfaces));
  if (options.nested) {
    if (facts.os === "darwin") problems.push("nested: nested virtualization is only for Linux VMs (Virtualization.framework has none for macOS guests)");
    const host = facts.hostOs;
    if (host?.name === "macOS" && host.version !== null && major(host.version) < 15) {
      problems.push(`nested: nested virtualization needs a macOS 15 (Sequoia) host or later; this one is macOS ${host.version}`);
    }
  }
  if (options.root_disk_opts !== null) problems.push(...rootDiskProblems(options.root_disk_opts));
  for (const flag of flagsOf(options)) {
    const since = SINCE[flag];
    if (since && facts.tartVersion && olderThan(facts.tartVersion, since)) {
      problems.push(`${fieldOfFlag(flag)}: ${flag} needs tart ${since} or later, and this is tart ${facts.tartVersion}`);
    }
  }
  return problems;
}

export class RunOptionsError extends Error {}

/** The `tart run` arguments for these options, in tart's help order; none for the defaults. */
export function runOptionArgs(options: VmRunOptions): string[] {
  const args: string[] = [];
  if (options.no_audio) args.push("--no-audio");
  for (const folder of options.shared_folders) args.push("--dir", `${folder.name}:${folder.path}${folder.read_only ? ":ro" : ""}`);
  if (options.nested) args.push("--nested");
  const net = options.network;
  if (net.mode === "bridged" && net.interface) args.push("--net-bridged", net.interface);
  if (net.mode === "softnet") {
    args.push("--net-softnet");
    if (net.allow?.length) args.push("--net-softnet-allow", net.allow.join(","));
    if (net.block?.length) args.push("--net-softnet-block", net.block.join(","));
  }
  if (net.mode === "host") args.push("--net-host");
  if (options.root_disk_opts) args.push("--root-disk-opts", options.root_disk_opts);
  return args;
}

export interface MountHint {
  name: string;
  /** Where the folder appears in the guest. */
  guest_path: string;
  /** What to run in the guest first, when the guest does not mount it by itself (Linux). */
  mount_command: string | null;
}

/** Where the Linux hint mounts tart's shares: any empty folder would do. */
export const LINUX_MOUNT_POINT = "/mnt/shared";
/**
 * tart gives every share the mount tag `com.apple.virtio-fs.automount`: a macOS guest mounts it
 * at `/Volumes/My Shared Files` by itself; a Linux guest needs `mount -t virtiofs` (tart's --dir help).
 */
export function mountHints(options: Pick<VmRunOptions, "shared_folders">, os: string | null): MountHint[] {
  return options.shared_folders.map((folder) =>
    os === "linux"
      ? { name: folder.name, guest_path: `${LINUX_MOUNT_POINT}/${folder.name}`, mount_command: `sudo mount -t virtiofs com.apple.virtio-fs.automount ${LINUX_MOUNT_POINT}` }
      : { name: folder.name, guest_path: `/Volumes/My Shared Files/${folder.name}`, mount_command: null },
  );
}

/** Whether tart `version` is older than `since`; a source build (`SNAPSHOT`) or anything unparsable counts as new. */
export function olderThan(version: string, since: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(since);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** An IPv4 CIDR as softnet takes it (`10.0.0.0/16`); null when it is one, else what is wrong. */
export function cidrProblem(text: string): string | null {
  const match = IPV4_CIDR.exec(text);
  if (!match) return `"${text}" is not an IPv4 CIDR such as 192.168.0.0/24`;
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet, i) => octet > 255 || (match[i + 1]!.length > 1 && match[i + 1]!.startsWith("0")))) return `"${text}" has an address octet that is not 0 to 255`;
  if (Number(match[5]) > 32) return `"${text}" has a prefix length above 32`;
  return null;
}

function networkProblems(net: RunNetwork, interfaces: string[] | null): string[] {
  const problems: string[] = [];
  if (net.mode !== "bridged" && net.interface) problems.push(`network.interface: only a bridged network takes an interface (this one is ${net.mode})`);
  if (net.mode !== "softnet" && (net.allow?.length || net.block?.length)) {
    // tart: --net-softnet-allow/-block imply --net-softnet, and the network modes are mutually exclusive.
    problems.push(`network: allow and block are softnet's (they imply --net-softnet), and --net-bridged, --net-softnet and --net-host are mutually exclusive`);
  }
  if (net.mode === "bridged") {
    const name = net.interface ?? "";
    if (!name) problems.push("network.interface: a bridged network needs the host interface to bridge to, e.g. en0");
    else if (!INTERFACE.test(name)) problems.push(`network.interface: "${name}" is not an interface name`);
    else if (interfaces !== null && !interfaces.includes(name)) {
      problems.push(`network.interface: "${name}" is not an interface of this host; it has ${interfaces.length ? interfaces.join(", ") : "none to bridge to"}`);
    }
  }
  for (const key of ["allow", "block"] as const) {
    const list = net[key] ?? [];
    if (list.length > MAX_CIDRS) problems.push(`network.${key}: at most ${MAX_CIDRS} CIDRs`);
    list.forEach((cidr, i) => {
      const problem = cidrProblem(cidr);
      if (problem) problems.push(`network.${key}[${i}]: ${problem}`);
    });
  }
  return problems;
}

const DISK_OPTION_VALUES: Record<string, readonly string[]> = { sync: ["none", "fsync", "full"], caching: ["automatic", "cached", "uncached"] };

/** tart ignores an option it does not know (DiskOptions): refusing it here says so before a run that would not do it. */
function rootDiskProblems(text: string): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const part of text.split(",")) {
    const [key, value] = part.includes("=") ? [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)] : [part, null];
    const allowed = DISK_OPTION_VALUES[key];
    if (key === "ro" && value === null) {
      // read-only root disk
    } else if (!allowed) {
      problems.push(`root_disk_opts: "${part}" is not a root disk option; give ro, sync=none|fsync|full or caching=automatic|cached|uncached, comma-separated`);
      continue;
    } else if (value === null || !allowed.includes(value)) {
      problems.push(`root_disk_opts: "${part}": ${key} takes ${allowed.join(", ")}`);
      continue;
    }
    if (keys.has(key)) problems.push(`root_disk_opts: ${key} is given twice`);
    keys.add(key);
  }
  return problems;
}

function normalNetwork(net: RunNetwork): RunNetwork {
  const clean = (list?: string[] | null) => (list ?? []).map((cidr) => cidr.trim()).filter(Boolean);
  return { mode: net.mode, interface: net.interface?.trim() || null, allow: clean(net.allow), block: clean(net.block) };
}

function flagsOf(options: VmRunOptions): string[] {
  return runOptionArgs(options).filter((arg) => arg.startsWith("--"));
}

function fieldOfFlag(flag: string): string {
  if (flag === "--dir") return "shared_folders";
  if (flag.startsWith("--net")) return "network";
  return flag.slice(2).replace(/-/g, "_");
}

function parseVersion(text: string): [number, number, number] | null {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

function major(version: string): number {
  return Number(/^(\d+)/.exec(version)?.[1] ?? Number.NaN);
}
