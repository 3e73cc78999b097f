/**
 * The commands that act on VMs and images: each one POST of docs/API.md's "VM actions", with the
 * body built from flags. Values are passed on as typed; the server validates them (its 422 names
 * the field), so the CLI and the dashboard obey one set of rules.
 */
import { startTask, WAIT_FLAG, WAIT_HELP, type Command } from "../command.ts";
import { wholeNumber } from "../arguments.ts";
import { vmPath } from "../server-connection.ts";
import { ApiError, CliUsageError } from "../exit-codes.ts";

const name = (positionals: Record<string, string | undefined>, key = "NAME") => positionals[key]!;

export const vmActionCommands: Command[] = [
  {
    name: "start",
    usage: "start NAME [--console] [--suspendable] [--wait]",
    summary: "start a VM (resumes a suspended one)",
    details: `--console       start it with the server's console attached (servers that have it)
--suspendable   start it so that it can be suspended later (macOS guests)
${WAIT_HELP}`,
    spec: { positionals: ["NAME"], flags: { console: "switch", suspendable: "switch", ...WAIT_FLAG } },
    async run(context) {
      const { args } = context;
      const body = {
        ...(args.switches.has("suspendable") ? { suspendable: true } : {}),
        ...(args.switches.has("console") ? { console: true } : {}),
      };
      try {
        return await startTask(context, vmPath(name(args.positionals), "start"), body);
      } catch (error) {
        // A server from before the console existed refuses the field: say what to do instead.
        if (args.switches.has("console") && error instanceof ApiError && error.status === 422 && /console/i.test(error.detail)) {
          throw new ApiError(422, `this server cannot start a VM with a console (${error.detail}); start it without --console`);
        }
        throw error;
      }
    },
  },
  {
    name: "stop",
    usage: "stop NAME [--force] [--wait]",
    summary: "stop a VM (asks the guest; --force stops it at once)",
    details: `--force   stop at once, and kill a run that hangs\n${WAIT_HELP}`,
    spec: { positionals: ["NAME"], flags: { force: "switch", ...WAIT_FLAG } },
    run: (context) => startTask(context, vmPath(name(context.args.positionals), "stop"), context.args.switches.has("force") ? { force: true } : {}),
  },
  {
    name: "suspend",
    usage: "suspend NAME [--wait]",
    summary: "suspend a VM started with --suspendable (start resumes it)",
    details: WAIT_HELP,
    spec: { positionals: ["NAME"], flags: { ...WAIT_FLAG } },
    run: (context) => startTask(context, vmPath(name(context.args.positionals), "suspend"), {}),
  },
  {
    name: "delete",
    usage: "delete NAME [--wait]",
    summary: "delete a local VM, or remove an image from tart's cache",
    details: WAIT_HELP,
    spec: { positionals: ["NAME"], flags: { ...WAIT_FLAG } },
    run: (context) => startTask(context, vmPath(name(context.args.positionals), "delete"), {}),
  },
  {
    name: "clone",
    usage: "clone SOURCE NEW_NAME [--start] [--wait]",
    summary: "clone a VM or image to a new local VM",
    details: `--start   start the new VM once it is cloned\n${WAIT_HELP}`,
    spec: { positionals: ["SOURCE", "NEW_NAME"], flags: { start: "switch", ...WAIT_FLAG } },
    run: (context) => {
      const { positionals, switches } = context.args;
      return startTask(context, vmPath(name(positionals, "SOURCE"), "clone"), {
        new_name: positionals.NEW_NAME,
        ...(switches.has("start") ? { start_after_clone: true } : {}),
      });
    },
  },
  {
    name: "rename",
    usage: "rename NAME NEW_NAME [--wait]",
    summary: "rename a stopped local VM",
    details: WAIT_HELP,
    spec: { positionals: ["NAME", "NEW_NAME"], flags: { ...WAIT_FLAG } },
    run: (context) => startTask(context, vmPath(name(context.args.positionals), "rename"), { new_name: context.args.positionals.NEW_NAME }),
  },
  {
    name: "settings",
    usage: "settings NAME [--cpu N] [--memory GB] [--display WxH] [--disk GB] [--random-mac] [--random-serial] [--wait]",
    summary: "change a VM's CPU, memory, display, disk, MAC or serial",
    details: `At least one of:
--cpu N          cores
--memory GB      memory in GB
--display WxH    e.g. 1920x1080, or 1440x900pt
--disk GB        grow the disk to GB (tart cannot shrink one)
--random-mac     a new MAC address
--random-serial  a new serial number (macOS)
${WAIT_HELP}`,
    spec: {
      positionals: ["NAME"],
      flags: { cpu: "value", memory: "value", display: "value", disk: "value", "random-mac": "switch", "random-serial": "switch", ...WAIT_FLAG },
    },
    run: (context) => {
      const { args } = context;
      const body = {
        ...optional("cpu", wholeNumber(args, "cpu")),
        ...optional("memory", wholeNumber(args, "memory")),
        ...optional("display", args.values.display),
        ...optional("disk_size", wholeNumber(args, "disk")),
        ...(args.switches.has("random-mac") ? { random_mac: true } : {}),
        ...(args.switches.has("random-serial") ? { random_serial: true } : {}),
      };
      return startTask(context, vmPath(name(args.positionals), "settings"), body);
    },
  },
  {
    name: "pull",
    usage: "pull REFERENCE [--force] [--wait]",
    summary: "pull an OCI image into tart's cache",
    details: `REFERENCE   e.g. ghcr.io/cirruslabs/macos-sequoia-base:latest
--force     pull even when the image looks larger than the free space
${WAIT_HELP}`,
    spec: { positionals: ["REFERENCE"], flags: { force: "switch", ...WAIT_FLAG } },
    run: (context) =>
      startTask(context, "/api/vms/pull", { oci_url: context.args.positionals.REFERENCE, ...(context.args.switches.has("force") ? { force: true } : {}) }),
  },
  {
    name: "create",
    usage: "create NAME --from SOURCE [--cpu N] [--memory GB] [--disk GB] [--force] [--wait]",
    summary: "create a VM from an image or VM, sized as you say",
    details: `--from SOURCE   a local VM or an OCI image (pulled first when it is not cached)
--cpu N         cores
--memory GB     memory in GB
--disk GB       disk in GB (not smaller than the source's)
--force         go ahead even when the image to pull looks too big for the free space
${WAIT_HELP}`,
    spec: { positionals: ["NAME"], flags: { from: "value", cpu: "value", memory: "value", disk: "value", force: "switch", ...WAIT_FLAG } },
    run: (context) => {
      const { args } = context;
      const source = args.values.from;
      if (!source) throw new CliUsageError("missing --from SOURCE");
      return startTask(context, "/api/vms/create", {
        name: name(args.positionals),
        source_vm: source,
        ...optional("cpu", wholeNumber(args, "cpu")),
        ...optional("memory", wholeNumber(args, "memory")),
        ...optional("disk_size", wholeNumber(args, "disk")),
        ...(args.switches.has("force") ? { force: true } : {}),
      });
    },
  },
];

function optional(key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [key]: value };
}
