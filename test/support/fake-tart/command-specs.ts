// The argument definitions of every tart command the fake knows, with the usage synopses
// sap generates for them (spec §1.3) and help abstracts as in tart's sources. Kept apart
// from the commands so parsing never loads a command's implementation.
import type { CommandDef, OptionDef } from "./args.ts";

const format: OptionDef = { long: "format", type: { oneOf: ["text", "json"] }, help: "Output format: text or json" };
const vmName = { name: "name", help: "VM name." };
const insecure: OptionDef = { long: "insecure", flag: true, help: "connect to the OCI registry via insecure HTTP protocol" };
const concurrency: OptionDef = {
  long: "concurrency",
  type: "uint64",
  help: "network concurrency to use when pulling a remote VM from the OCI-compatible registry",
};
const deduplicate: OptionDef = { long: "deduplicate", flag: true, hidden: true, help: "deduplicate disk layers" };
const flag = (long: string, help: string, hidden = false): OptionDef => ({ long, flag: true, help, hidden });
const opt = (long: string, help: string, valueName?: string): OptionDef => ({ long, help, valueName });

export const commands: Record<string, CommandDef> = {
  list: {
    name: "list",
    abstract: "List created VMs",
    synopsis: "list [--source <source>] [--format <format>] [--quiet]",
    options: [
      opt("source", "Only display VMs from the specified source (e.g. --source local, --source oci)."),
      format,
      { long: "quiet", short: "q", flag: true, help: "Only display VM names." },
    ],
    args: [],
  },
  get: {
    name: "get",
    abstract: "Get a VM's configuration",
    synopsis: "get <name> [--format <format>]",
    options: [format],
    args: [vmName],
  },
  ip: {
    name: "ip",
    abstract: "Get VM's IP address",
    synopsis: "ip <name> [--wait <wait>] [--resolver <resolver>]",
    options: [
      { long: "wait", type: "uint16", help: "Number of seconds to wait for a potential VM booting" },
      {
        long: "resolver",
        type: { oneOf: ["dhcp", "arp", "agent"] },
        help: "Strategy for resolving IP address: dhcp, arp or agent",
      },
    ],
    args: [vmName],
  },
  run: {
    name: "run",
    abstract: "Run a VM",
    synopsis: "run [<options>] <name>",
    options: [
      flag("no-graphics", "Don't open a UI window."),
      flag("serial", "Open serial console in /dev/ttySXX"),
      opt("serial-path", "Attach an externally created serial console", "serial-path"),
      flag("no-audio", "Disable audio pass-through to host."),
      flag("no-clipboard", "Disable clipboard sharing between host and guest."),
      flag("recovery", "Boot into recovery mode"),
      flag("vnc", "Use screen sharing instead of the built-in UI."),
      flag("vnc-experimental", "Use Virtualization.Framework's VNC server instead of the built-in UI."),
      { long: "disk", help: "Additional disk attachments", valueName: "path[:options]" },
      { long: "rosetta", help: "Attaches a Rosetta share to the guest Linux VM", valueName: "tag" },
      { long: "dir", help: "Additional directory shares", valueName: "[name:]path[:options]" },
      flag("nested", "Enable nested virtualization if possible"),
      { long: "net-bridged", help: "Use bridged networking instead of the default shared (NAT) networking", valueName: "interface name" },
      flag("net-softnet", "Use software networking provided by Softnet"),
      opt("net-softnet-allow", "Comma-separated list of CIDRs to allow the traffic to", "comma-separated CIDRs"),
      opt("net-softnet-block", "Comma-separated list of CIDRs to block the traffic to", "comma-separated CIDRs"),
      opt("net-softnet-expose", "Comma-separated list of TCP ports to expose", "comma-separated port specifications"),
      flag("net-host", "Restrict network access to the host-only network"),
      opt("root-disk-opts", "Set the root disk options", "options"),
      flag("suspendable", "Disables audio and entropy devices and switches to only Mac-specific input devices."),
      flag("capture-system-keys", "Whether system hot keys should be sent to the guest instead of the host"),
      flag("no-trackpad", "Disable trackpad emulation"),
      flag("no-pointer", "Disable the pointer"),
      flag("no-keyboard", "Disable the keyboard"),
      flag("graphics", "Force open a UI window, even when VNC is enabled.", true),
    ],
    args: [vmName],
  },
  stop: {
    name: "stop",
    abstract: "Stop a VM",
    synopsis: "stop <name> [--timeout <timeout>]",
    options: [
      {
        long: "timeout",
        short: "t",
        type: "uint64",
        help: "Seconds to wait for graceful termination before forcefully terminating the VM",
      },
    ],
    args: [vmName],
  },
  delete: {
    name: "delete",
    abstract: "Delete a VM",
    synopsis: "delete <name> ...",
    options: [],
    args: [{ name: "name", help: "VM name", variadic: true }],
  },
  pull: {
    name: "pull",
    abstract: "Pull a VM from a registry",
    synopsis: "pull <remote-name> [--insecure] [--concurrency <concurrency>]",
    options: [insecure, concurrency, deduplicate],
    args: [{ name: "remote-name", help: "remote VM name" }],
  },
  clone: {
    name: "clone",
    abstract: "Clone a VM",
    synopsis: "clone <source-name> <new-name> [--insecure] [--concurrency <concurrency>] [--prune-limit <n>]",
    options: [
      insecure,
      concurrency,
      { long: "prune-limit", type: "uint64", valueName: "n", help: "limit automatic pruning to n gigabytes" },
      deduplicate,
    ],
    args: [
      { name: "source-name", help: "source VM name" },
      { name: "new-name", help: "new VM name" },
    ],
  },
  set: {
    name: "set",
    abstract: "Modify VM's configuration",
    synopsis:
      "set <name> [--cpu <cpu>] [--memory <memory>] [--display <display>] [--display-refit] [--no-display-refit] [--random-mac] [--random-serial] [--disk <path>] [--disk-size <disk-size>]",
    options: [
      { long: "cpu", type: "uint16", help: "Number of VM CPUs" },
      { long: "memory", type: "uint64", help: "VM memory size in megabytes" },
      opt("display", "VM display resolution in a format of WIDTHxHEIGHT[pt|px]."),
      flag("display-refit", "Whether to automatically reconfigure the VM's display to fit the window"),
      flag("no-display-refit", "Whether to automatically reconfigure the VM's display to fit the window"),
      flag("random-mac", "Generate a new random MAC address for the VM."),
      flag("random-serial", "Generate a new random serial number for the macOS VM."),
      opt("disk", "Replace the VM's disk contents with the disk contents at path.", "path"),
      { long: "disk-size", type: "uint16", help: "Resize the VMs disk to the specified size in GB" },
    ],
    args: [vmName],
  },
  create: {
    name: "create",
    abstract: "Create a VM",
    synopsis: "create <name> [--from-ipsw <path>] [--linux] [--disk-size <disk-size>] [--disk-format <disk-format>]",
    options: [
      opt("from-ipsw", "create a macOS VM using path to the IPSW file or URL (or \"latest\")", "path"),
      flag("linux", "create a Linux VM"),
      { long: "disk-size", type: "uint16", help: "Disk size in GB" },
      { long: "disk-format", type: { oneOf: ["raw", "asif"], caseInsensitive: true }, help: "Disk image format" },
    ],
    args: [vmName],
  },
  rename: {
    name: "rename",
    abstract: "Rename a local VM",
    synopsis: "rename <name> <new-name>",
    options: [],
    args: [vmName, { name: "new-name", help: "new VM name" }],
  },
  exec: {
    name: "exec",
    abstract: "Execute a command in a running VM",
    synopsis: "exec [-i] [-t] <name> <command> ...",
    options: [
      { long: "interactive", short: "i", flag: true, help: "Attach host's standard input to a remote command" },
      { long: "tty", short: "t", flag: true, help: "Allocate a remote pseudo-terminal (PTY)" },
    ],
    args: [vmName, { name: "command", help: "Command to execute", variadic: true, passthrough: true }],
  },
  suspend: {
    name: "suspend",
    abstract: "Suspend a VM",
    synopsis: "suspend <name>",
    options: [],
    args: [vmName],
  },
  prune: {
    name: "prune",
    abstract: "Prune OCI and IPSW caches or local VMs",
    synopsis: "prune [--entries <entries>] [--older-than <n>] [--space-budget <n>]",
    options: [
      opt("entries", 'Entries to remove: "caches" targets OCI and IPSW caches and "vms" targets local VMs.'),
      { long: "older-than", type: "uint64", valueName: "n", help: "Remove entries that were last accessed more than n days ago" },
      { long: "cache-budget", type: "uint64", hidden: true, help: "" },
      {
        long: "space-budget",
        type: "uint64",
        valueName: "n",
        help: "Remove the least recently used entries that do not fit the specified space size budget n, expressed in gigabytes",
      },
      flag("gc", "", true),
    ],
    args: [],
  },
  login: {
    name: "login",
    abstract: "Login to a registry",
    synopsis: "login <host> [--username <username>] [--password-stdin] [--insecure] [--no-validate]",
    options: [
      opt("username", "username"),
      flag("password-stdin", "password-stdin"),
      insecure,
      flag("no-validate", "skip validation of the registry's credentials before logging-in"),
    ],
    args: [{ name: "host", help: "host" }],
  },
  logout: {
    name: "logout",
    abstract: "Logout from a registry",
    synopsis: "logout <host>",
    options: [],
    args: [{ name: "host", help: "host" }],
  },
  fqn: {
    name: "fqn",
    abstract: "Get a fully-qualified VM name",
    synopsis: "fqn <name>",
    options: [],
    args: [vmName],
    hidden: true,
  },
};
