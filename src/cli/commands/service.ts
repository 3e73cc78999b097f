/**
 * `service install | uninstall | status`: the server as a login service of this user (a
 * LaunchAgent on macOS, a systemd user unit on Linux; src/service/). Install runs this same
 * executable with `--no-open`, the data dir and port given here.
 */
import { homedir, userInfo } from "node:os";
import type { Command } from "../command.ts";
import { wholeNumber } from "../arguments.ts";
import { CliUsageError, EXIT } from "../exit-codes.ts";
import { SERVICE_LABEL, serviceDefinition } from "../../service/service-definition.ts";
import { ServiceError, ServiceManager } from "../../service/service-manager.ts";
import { readServerAddress } from "../../storage/server-address.ts";
import { layoutOf } from "../../storage/data-dir.ts";

export const serviceCommand: Command = {
  name: "service",
  usage: "service install|uninstall|status [--port N]",
  summary: "start the server at login (LaunchAgent on macOS, systemd user unit on Linux)",
  details: `install     write the service and start it now and at every login (again: replace and restart it)
uninstall   stop it and remove it
status      whether it is installed and running (exit 3 when it is not running)
--port N    the port the service listens on (default 8000)
The server's output goes to DATA_DIR/service.log.`,
  spec: { positionals: ["ACTION"], flags: { port: "value" } },
  async run({ args, out, dataDir, env }) {
    const manager = new ServiceManager({ platform: process.platform, home: env.HOME || homedir(), uid: userInfo().uid, env });
    const action = args.positionals.ACTION;
    try {
      if (action === "install") {
        const port = wholeNumber(args, "port") ?? 8000;
        if (port > 65535) throw new CliUsageError(`--port must be a port number, not ${port}`);
        const service = serviceDefinition({ dataDir, port });
        const file = manager.install(service);
        out.data({ installed: true, manager: manager.manager, file, log: service.logFile, command: service.program });
        out.line(`installed ${file} (${manager.manager}); the server starts now and at every login`);
        out.line(`its output: ${service.logFile}; the dashboard: taartenfabriek open`);
        return EXIT.ok;
      }
      if (action === "uninstall") {
        const removed = manager.uninstall(SERVICE_LABEL);
        out.data({ removed, file: manager.fileOf(SERVICE_LABEL) });
        out.line(removed ? `stopped and removed ${manager.fileOf(SERVICE_LABEL)}` : "the service was not installed");
        return EXIT.ok;
      }
      if (action === "status") {
        const status = manager.status(SERVICE_LABEL);
        const address = readServerAddress(layoutOf(dataDir).serverAddress);
        out.data({ ...status, url: address?.url ?? null });
        out.line(`${status.installed ? `installed: ${status.file}` : "not installed"} (${status.manager}: ${status.detail})`);
        if (address && status.running) out.line(`listening on ${address.url}`);
        return status.running ? EXIT.ok : EXIT.notRunning;
      }
    } catch (error) {
      if (error instanceof ServiceError) {
        process.stderr.write(`taartenfabriek service: ${error.message}\n`);
        return EXIT.failed;
      }
      throw error;
    }
    throw new CliUsageError(`unknown action ${JSON.stringify(action)}: install, uninstall or status`);
  },
};
