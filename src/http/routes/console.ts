/**
 * POST /api/vms/{name}/console and POST /api/vms/{name}/shell: one-time tickets for the console
 * and shell websockets (src/ws/console-proxy.ts, src/ws/shell-stream.ts), behind the normal
 * /api guard. A VM without a console, or without a running guest for a shell, is a 409 saying why.
 * The two websockets those tickets open are mounted here too.
 */
import { Elysia } from "elysia";
import { checkLocalName } from "../../domain/names.ts";
import type { VmConsoles } from "../../console/vm-consoles.ts";
import type { VmShells } from "../../console/vm-shells.ts";
import { checkEmptyBody } from "../validate.ts";
import type { ConsoleProxy } from "../../ws/console-proxy.ts";
import type { ShellStreams } from "../../ws/shell-stream.ts";

export interface ConsoleDeps {
  consoles: VmConsoles;
  shells: VmShells;
  proxy: ConsoleProxy;
  shellStreams: ShellStreams;
}

export function consoleRoutes(deps: ConsoleDeps | undefined) {
  if (!deps) return new Elysia({ name: "console" });
  return new Elysia({ name: "console" })
    .use(deps.proxy.routes())
    .use(deps.shellStreams.routes())
    .post("/api/vms/:name/console", ({ params, body }) => {
      checkEmptyBody(body);
      checkLocalName(params.name);
      return deps.consoles.ticket(params.name);
    })
    .post("/api/vms/:name/shell", async ({ params, body }) => {
      checkEmptyBody(body);
      checkLocalName(params.name);
      return deps.shells.ticket(params.name);
    });
}
