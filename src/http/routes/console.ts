/**
 * POST /api/vms/{name}/console and POST /api/vms/{name}/shell: one-time tickets for the console
 * and shell websockets (src/ws/console-proxy.ts, src/ws/shell-stream.ts), behind the normal
 * /api guard. A VM without a console, or without a running guest for a shell, is a 409 saying why.
 * PUT / DELETE …/console/credentials remember or forget a macOS guest's Screen Sharing login
 * (0600). The two websockets those tickets open are mounted here too.
 */
import { Elysia, t } from "elysia";
import { CredentialsBody } from "../models/console.ts";
import { checkLocalName } from "../../domain/names.ts";
import type { VmConsoles } from "../../console/vm-consoles.ts";
import type { VmShells } from "../../console/vm-shells.ts";
import { checkEmptyBody, validate } from "../validate.ts";
import type { ConsoleProxy } from "../../ws/console-proxy.ts";
import type { ShellStreams } from "../../ws/shell-stream.ts";
import type { ClusterConsoles, ClusterConsoleParams } from "../../orchard/cluster-consoles.ts";
import type { ClusterShells, ClusterShellParams } from "../../orchard/cluster-shells.ts";

export interface ConsoleDeps {
  consoles: VmConsoles;
  shells: VmShells;
  proxy: ConsoleProxy<{ name: string }>;
  shellStreams: ShellStreams;
  /** Orchard cluster VMs' consoles and shells (routes in clusters.ts); absent: no such routes. */
  cluster?: {
    consoles: ClusterConsoles;
    proxy: ConsoleProxy<ClusterConsoleParams>;
    shells: ClusterShells;
    shellStreams: ShellStreams<ClusterShellParams>;
  };
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
    .put("/api/vms/:name/console/credentials", ({ params, body }) => {
      checkLocalName(params.name);
      const { username, password } = validate(CredentialsBody, body);
      deps.consoles.rememberCredentials(params.name, { username, password });
      return { remembered: true };
    }, { body: t.Unknown() })
    .delete("/api/vms/:name/console/credentials", ({ params, body }) => {
      checkEmptyBody(body);
      checkLocalName(params.name);
      deps.consoles.rememberCredentials(params.name, null);
      return { remembered: false };
    })
    .post("/api/vms/:name/shell", async ({ params, body }) => {
      checkEmptyBody(body);
      checkLocalName(params.name);
      return deps.shells.ticket(params.name);
    });
}
