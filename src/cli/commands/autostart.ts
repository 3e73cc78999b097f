/** `autostart [NAME on|off]`: which VMs the server starts when it starts (GET/POST /api/autostart). */
import type { Command } from "../command.ts";
import { CliUsageError, EXIT } from "../exit-codes.ts";

interface AutostartList {
  vms: string[];
}

export const autostartCommand: Command = {
  name: "autostart",
  usage: "autostart [NAME on|off]",
  summary: "list, or set, the VMs the server starts when it starts",
  details: "Without arguments: the VMs started at every server start. NAME on|off adds or removes one.",
  spec: { positionals: ["NAME?", "SETTING?"], flags: {} },
  async run({ connect, out, args }) {
    const { NAME: name, SETTING: setting } = args.positionals;
    let answer: AutostartList;
    if (name === undefined) {
      answer = await connect().json<AutostartList>("GET", "/api/autostart");
    } else {
      if (setting !== "on" && setting !== "off") throw new CliUsageError(`say on or off after ${name}`);
      answer = await connect().json<AutostartList>("POST", "/api/autostart", { name, enabled: setting === "on" });
    }
    out.data(answer);
    if (name !== undefined) out.line(`${name}: autostart ${setting}`);
    else out.line(answer.vms.length ? answer.vms.join("\n") : "no VM starts with the server");
    return EXIT.ok;
  },
};
