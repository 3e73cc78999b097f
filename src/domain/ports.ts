/**
 * The ports the domain drives. Adapters implement them (adapters/tart for the tart CLI,
 * adapters/catalogue for GitHub, storage/ for persistence). The API tests and benchmarks reach
 * the domain through the real adapters and a fake `tart` executable; the domain tests
 * (test/domain/) through an in-memory TartPort (test/support/memory-tart.ts).
 */
import type { VmRunOptions } from "./run-options.ts";

/** tart's three VM states, as `tart list` reports them. */
export type TartState = "running" | "suspended" | "stopped";

/** One row of `tart list --format json`, typed. */
export interface TartListEntry {
  source: "local" | "oci";
  name: string;
  disk: number | null; // GB, logical
  size: number | null; // GB, allocated on disk
  accessed: string | null; // ISO-8601
  running: boolean;
  state: TartState | null;
}

/** `tart get NAME --format json`, typed; `raw` is the object exactly as tart printed it. */
export interface TartVmConfig {
  os: string | null;
  cpu: number | null;
  memoryMiB: number | null;
  diskGB: number | null;
  display: string | null;
  state: TartState | null;
  raw: Record<string, unknown>;
}

export type OutputStream = "stdout" | "stderr";

/** What a long-running tart command reports while it runs. */
export interface CommandObserver {
  onStart?(argv: string[]): void;
  onLine?(line: string, stream: OutputStream): void;
  /** The command ended with an exit code (success or failure; not on timeout or spawn failure). */
  onEnd?(outcome: CommandOutcome): void;
}

/** The outcome of one finished tart command (success or tart-reported failure). */
export interface CommandOutcome {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the command, when one did (SIGKILL after a cancel that tart ignored). */
  signal?: string;
}

/** A `tart run` started in its own session: it outlives this server. */
export interface DetachedRun {
  argv: string[];
  pid: number;
  /** Resolves with the exit code if the process ends while this server watches it. */
  exited: Promise<number | null>;
  /** New output since the last call, per stream (read from the run's log files). */
  readNewOutput(): Promise<{ stdout: string; stderr: string }>;
  /** The file tart's stdout goes to, when there is one (a secret it printed is scrubbed from it). */
  stdoutPath?: string;
  /**
   * SIGKILL to this `tart run` (a force stop whose `tart stop` did not end it). Only a process
   * this server started and still watches, so a pid the system has since reused is never hit.
   */
  kill(): void;
}

/** What `tart set` is asked to change; each field absent is left as it is. */
export interface TartSettings {
  cpu?: number;
  memoryMiB?: number;
  /** `WxH`, optionally ending in `px` or `pt` (tart 2.30+). */
  display?: string;
  randomMac?: boolean;
  randomSerial?: boolean;
  diskSizeGB?: number;
}

/** What `tart create` makes: exactly one of `fromIpsw` (`latest`, a URL or a path) and `linux`. */
export interface CreateOptions {
  fromIpsw?: string;
  linux?: boolean;
  diskSizeGB?: number;
  diskFormat?: "raw" | "asif";
}

/** How `tart run` is started: `suspendable` adds `--suspendable` (macOS guests only). */
export interface RunOptions {
  suspendable?: boolean;
  /** The run options kept for the VM (run-options.ts): shared folders, network, nested, … */
  vm?: VmRunOptions | null;
  /** `--vnc-experimental`: tart's own VNC server, for the browser console. */
  console?: boolean;
}

export interface TartPort {
  /** Path of the tart executable in use, or null when none was found. */
  readonly path: string | null;
  version(): Promise<string>;
  list(): Promise<TartListEntry[]>;
  get(name: string): Promise<TartVmConfig>;
  /** The VM's IP, or null when tart found none (exit 1, "no IP address found"). */
  ip(name: string): Promise<string | null>;
  /** `tart fqn`: the digest form of a cached OCI tag. */
  fqn(name: string): Promise<string>;
  /** A `signal` ends a `tart stop` that hangs (a force stop gives it only a few seconds). */
  stop(name: string, timeoutSeconds: number | null, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome>;
  /** `tart suspend`: SIGUSR1 to the VM's `tart run`, which then saves the VM's state and exits. */
  suspend(name: string, observer?: CommandObserver): Promise<CommandOutcome>;
  /** `tart rename NAME NEW`: moves the VM's folder (tart refuses an existing NEW). */
  rename(name: string, newName: string, observer?: CommandObserver): Promise<CommandOutcome>;
  delete(name: string, observer?: CommandObserver): Promise<CommandOutcome>;
  /*
   * The commands a task may cancel take an AbortSignal. On abort, tart gets SIGINT (tart treats it
   * as Ctrl+C: it cancels the command and cleans up its temporary files), then SIGKILL when it
   * has not ended after the grace period; the call then fails as tart failed.
   */
  clone(source: string, target: string, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome>;
  set(name: string, settings: TartSettings, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome>;
  /** `tart create`: a VM from scratch, macOS from an IPSW (many minutes, with progress) or Linux. */
  create(name: string, options: CreateOptions, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome>;
  pull(reference: string, observer?: CommandObserver, signal?: AbortSignal): Promise<CommandOutcome>;
  runDetached(name: string, logDir: string, options?: RunOptions): DetachedRun;

  // Tart's housekeeping and registry accounts (issue 13).
  /** `tart prune`: removes cache entries or local VMs by last access and/or a space budget. */
  prune(options: PruneOptions, observer?: CommandObserver): Promise<CommandOutcome>;
  /** `tart login HOST --username U --password-stdin`, the password on standard input only. */
  login(host: string, username: string, password: string, observer?: CommandObserver): Promise<CommandOutcome>;
  /** `tart logout HOST`: forgets the host's credentials (tart succeeds when there were none). */
  logout(host: string, observer?: CommandObserver): Promise<CommandOutcome>;
}

/** What `tart prune` removes: OCI and IPSW caches, or local VMs that are not running. */
export type PruneEntries = "caches" | "vms";

export interface PruneOptions {
  entries: PruneEntries;
  /** Entries last accessed more than this many days ago. */
  olderThanDays?: number;
  /** The least recently used entries beyond this many GB (tart counts 2^30 bytes) in total. */
  spaceBudgetGB?: number;
}

/** One thing `tart prune` may remove, measured as tart measures it (allocated bytes, access date). */
export interface PrunableEntry {
  /** `host/ns@sha256:…` for an OCI image, the file name for an IPSW, the VM's name. */
  name: string;
  kind: "oci" | "ipsw" | "vm";
  bytes: number;
  /** Unix seconds, when tart last used it. */
  accessed: number;
}

/** Reads what lies in tart's home, without running tart: the caches and local VMs, by size. */
export interface TartHomeUsage {
  readonly home: string;
  entries(entries: PruneEntries): PrunableEntry[];
  /** Free and total bytes of the volume holding tart's home; null where it cannot be told. */
  volume(): { free_bytes: number | null; total_bytes: number | null };
}

/** One image of the pull catalogue (docs/API.md "VM image"). */
export interface CatalogueImage {
  name: string;
  url: string;
  description: string | null;
  tags: string[];
  updated_at: string | null;
}

export interface CataloguePort {
  list(token: string): Promise<CatalogueImage[]>;
}

/** Asks GitHub whether it takes a token; throws `upstream_refused` when it does not. */
export interface GithubTokenCheck {
  check(token: string): Promise<void>;
}
