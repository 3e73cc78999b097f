/**
 * `open`: the dashboard in the browser, signed in (the token travels in the URL's fragment, which
 * no server sees). `open NAME`: a running VM's screen over VNC (`vnc://IP`, Screen Sharing on a
 * Mac). Neither URL is printed with the token in it.
 */
import type { Command } from "../command.ts";
import { ApiError, EXIT } from "../exit-codes.ts";
import { vmPath } from "../server-connection.ts";
import { openBrowser } from "../../open-browser.ts";
import type { Vm } from "../../domain/vm.ts";

export const openCommand: Command = {
  name: "open",
  usage: "open [NAME]",
  summary: "open the dashboard, or a running VM's screen (VNC)",
  spec: { positionals: ["NAME?"], flags: {} },
  async run({ connect, out, args }) {
    const connection = connect();
    const name = args.positionals.NAME;
    if (!name) {
      await connection.json("GET", "/api/health"); // the server answers and takes the token
      openBrowser(connection.dashboardUrl());
      out.data({ url: connection.url });
      out.line(`opened ${connection.url}`);
      return EXIT.ok;
    }
    const vm = await connection.json<Vm>("GET", vmPath(name));
    if (vm.state !== "running" || !vm.ip_address) {
      throw new ApiError(409, `${vm.name} is ${vm.state ?? vm.status}${vm.state === "running" ? " but has no IP address yet" : ""}: start it first (taartenfabriek start ${vm.name} --wait)`);
    }
    const url = `vnc://${vm.ip_address}`;
    openBrowser(url);
    out.data({ url });
    out.line(`opened ${url}`);
    return EXIT.ok;
  },
};
