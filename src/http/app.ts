/**
 * The HTTP application: the guard first (Host → CORS/Origin → token → body rules, see guard.ts),
 * one counting body parser for every route (json-body.ts), then the route modules, with one error
 * handler that renders every failure as `{"detail": ...}` (with an Allow header on a 405).
 * Built by a factory from its dependencies so tests and the binary run the same app.
 */
import { Elysia } from "elysia";
import type { HostSize } from "../domain/create-fit.ts";
import { AppError } from "../domain/errors.ts";
import type { AddedRepositories } from "../domain/added-repositories.ts";
import type { GithubTokenCheck } from "../domain/ports.ts";
import type { ImageCataloguePort } from "../domain/image-catalogue.ts";
import type { TaskManager } from "../domain/task-manager.ts";
import type { TartStatusProbe } from "../domain/tart-status.ts";
import type { VmInventory } from "../domain/vm-inventory.ts";
import type { VmOperations } from "../domain/vm-operations.ts";
import type { GithubTokenSetting } from "../storage/github-token.ts";
import type { HostReport } from "../domain/host-report.ts";
import type { TartPrune } from "../domain/prune.ts";
import type { RegistryLogins } from "../domain/registry-logins.ts";
import type { ServerMetrics } from "../metrics/server-metrics.ts";
import type { KeptRunOptions } from "../domain/run-options-kept.ts";
import type { EventStreams } from "../ws/event-stream.ts";
import type { TaskStreams } from "../ws/task-stream.ts";
import { consoleRoutes, type ConsoleDeps } from "./routes/console.ts";
import { answerFor } from "./errors.ts";
import type { RequestGuard } from "./guard.ts";
import { readJsonBody } from "./json-body.ts";
import { docsRoutes } from "./routes/docs.ts";
import { healthRoutes } from "./routes/health.ts";
import { hostRoutes } from "./routes/host.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { registryRoutes } from "./routes/registries.ts";
import { clusterRoutes } from "./routes/clusters.ts";
import type { Clusters } from "../orchard/clusters.ts";
import { settingsRoutes } from "./routes/settings.ts";
import { tartRoutes } from "./routes/tart.ts";
import { taskRoutes } from "./routes/tasks.ts";
import { vmByNameRoutes } from "./routes/vm-by-name.ts";
import { vmRoutes } from "./routes/vms.ts";
import { autostartRoutes } from "./routes/autostart.ts";
import type { Autostart } from "../domain/autostart.ts";
import { staticUiRoutes, type UiFiles } from "./static-ui.ts";

export interface AppDeps {
  version: string;
  host: HostSize;
  dataDir: string;
  guard: RequestGuard;
  inventory: VmInventory;
  operations: VmOperations;
  tasks: TaskManager;
  tartStatus: TartStatusProbe;
  catalogue: ImageCataloguePort;
  /** GitHub's Packages API, asked to check a token before it is saved. */
  github: GithubTokenCheck;
  githubToken: GithubTokenSetting;
  /** The repositories the user added to the catalogue. */
  repositories: AddedRepositories;
  /** GET /api/host and POST /api/tart/prune. */
  hostReport: HostReport;
  prune: TartPrune;
  /** tart login / logout, and the hosts logged in to. */
  registries: RegistryLogins;
  /** Orchard clusters: directory, VMs, workers (src/orchard/). */
  clusters: Pick<Clusters, "directory" | "vms" | "workers">;
  /** GET/PUT /api/vms/{name}/run-options. */
  runOptions?: KeptRunOptions;
  /** The VMs started when the server starts. */
  autostart: Autostart;
  streams: TaskStreams;
  events: EventStreams;
  /** The browser console and shell, their tickets and websockets (absent: no such routes). */
  console?: ConsoleDeps;
  /** GET /metrics; an app built without it (the in-process route tests) has no such route. */
  metrics?: ServerMetrics;
  uiFiles: UiFiles | null;
  log: (message: string) => void;
}

export function createApp(deps: AppDeps) {
  return (
    new Elysia({ name: "taartenfabriek" })
      .onError(({ code, error, set }) => {
        const answer = answerFor(code, error, deps.log);
        set.status = answer.status;
        set.headers["content-type"] = "application/json; charset=utf-8";
        Object.assign(set.headers, answer.headers);
        return answer.body;
      })
      // Registered before every route so that it covers all of them, the websocket upgrade included.
      .onRequest(({ request }) => {
        deps.guard.check(request);
      })
      // Every body is read by this one counting parser (json-body.ts), never by Elysia's own.
      .onParse({ as: "global" }, ({ request }) => readJsonBody(request))
      .use(healthRoutes(deps))
      .use(settingsRoutes(deps))
      .use(tartRoutes(deps))
      .use(vmRoutes(deps))
      .use(consoleRoutes(deps.console))
      .use(vmByNameRoutes(deps))
      .use(taskRoutes(deps))
      .use(hostRoutes(deps))
      .use(registryRoutes(deps))
      .use(clusterRoutes(deps))
      .use(autostartRoutes(deps))
      .use(deps.streams.routes())
      .use(deps.events.routes())
      .use(docsRoutes(deps))
      .use(deps.metrics ? metricsRoutes({ metrics: deps.metrics }) : new Elysia({ name: "no-metrics" }))
      .use(staticUiRoutes(deps.uiFiles))
  );
}

export type App = ReturnType<typeof createApp>;
export { AppError };
