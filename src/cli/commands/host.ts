/**
 * Tart's housekeeping and registry accounts: `prune`, `registries`, `login`, `logout`. A login's
 * password is read from standard input only (`--password-stdin`, as docker and tart take it):
 * an argument would be visible to every user of the Mac in the process list.
 */
import { startTask, WAIT_FLAG, WAIT_HELP, type Command } from "../command.ts";
import { wholeNumber } from "../arguments.ts";
import { CliUsageError, EXIT } from "../exit-codes.ts";

export const hostCommands: Command[] = [
  {
    name: "prune",
    usage: "prune --entries caches|vms [--older-than DAYS] [--space-budget GB] [--wait]",
    summary: "tart prune: remove old images (caches) or stopped VMs",
    details: `--entries caches|vms   tart's OCI and IPSW caches, or local VMs that are not running
--older-than DAYS      what tart last used DAYS ago or earlier
--space-budget GB      keep the most recently used entries that fit in GB
(at least one of the two)
${WAIT_HELP}`,
    spec: { positionals: [], flags: { entries: "value", "older-than": "value", "space-budget": "value", ...WAIT_FLAG } },
    run: (context) => {
      const { args } = context;
      if (!args.values.entries) throw new CliUsageError("missing --entries caches|vms");
      const older = wholeNumber(args, "older-than");
      const budget = wholeNumber(args, "space-budget");
      return startTask(context, "/api/tart/prune", {
        entries: args.values.entries,
        ...(older === undefined ? {} : { older_than_days: older }),
        ...(budget === undefined ? {} : { space_budget_gb: budget }),
      });
    },
  },
  {
    name: "registries",
    usage: "registries [--json]",
    summary: "the registries this server logged in to",
    spec: { positionals: [], flags: {} },
    async run({ connect, out }) {
      const answer = await connect().json<{ registries: { host: string; username: string }[] }>("GET", "/api/registries");
      out.data(answer);
      if (!out.json) {
        if (!answer.registries.length) out.line("not logged in to any registry");
        else out.table(["HOST", "USERNAME"], answer.registries.map((r) => [r.host, r.username]));
      }
      return EXIT.ok;
    },
  },
  {
    name: "login",
    usage: "login HOST --username USER --password-stdin [--wait]",
    summary: "tart login to a registry, the password read from standard input",
    details: `echo "$PASSWORD" | taartenfabriek login registry.example.com --username ci --password-stdin --wait\n${WAIT_HELP}`,
    spec: { positionals: ["HOST"], flags: { username: "value", "password-stdin": "switch", ...WAIT_FLAG } },
    async run(context) {
      const { args } = context;
      if (!args.values.username) throw new CliUsageError("missing --username USER");
      if (!args.switches.has("password-stdin")) throw new CliUsageError("the password is read from standard input only: pass --password-stdin");
      const password = (await Bun.stdin.text()).replace(/\r?\n$/, "");
      if (!password) throw new CliUsageError("no password on standard input");
      return startTask(context, "/api/registries/login", { host: args.positionals.HOST, username: args.values.username, password });
    },
  },
  {
    name: "logout",
    usage: "logout HOST [--wait]",
    summary: "tart logout from a registry",
    details: WAIT_HELP,
    spec: { positionals: ["HOST"], flags: { ...WAIT_FLAG } },
    run: (context) => startTask(context, "/api/registries/logout", { host: context.args.positionals.HOST }),
  },
];
