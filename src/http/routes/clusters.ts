/**
 * Orchard clusters (docs/API.md "Clusters"): the clusters with their health, adding (after a
 * look at the controller's certificate) and removing one, a cluster's workers (pause and resume
 * scheduling), and its VMs: list, create, stop, delete — those three answer a Task — and a
 * running VM's console and shell (tickets, and the websockets they open: src/orchard/cluster-consoles.ts,
 * cluster-shells.ts). Names in the
 * path are checked before anything reaches a controller: "." and ".." would walk its URL.
 */
import { Elysia } from "elysia";
import { invalid, notFound } from "../../domain/errors.ts";
import { toWire } from "../../domain/task.ts";
import { CLUSTER_NAME } from "../../orchard/cluster-config.ts";
import type { ClusterDirectory } from "../../orchard/cluster-directory.ts";
import type { ClusterVms } from "../../orchard/cluster-vms.ts";
import type { ClusterWorkers } from "../../orchard/cluster-workers.ts";
import { AddClusterBody, CreateClusterVmBody, InspectClusterBody } from "../models/cluster.ts";
import { checkEmptyBody } from "../validate.ts";
import type { ConsoleDeps } from "./console.ts";
import { conditionalJson } from "../conditional.ts";

export interface ClusterRouteDeps {
  clusters: { directory: ClusterDirectory; vms: ClusterVms; workers: ClusterWorkers };
  console?: Pick<ConsoleDeps, "cluster">;
}

const ORCHARD_NAME = /^[A-Za-z0-9:_.-]{1,255}$/;

function clusterName(name: string): string {
  if (!CLUSTER_NAME.test(name)) throw notFound(`No cluster named ${name}`);
  return name;
}

function orchardName(name: string, what: string): string {
  if (!ORCHARD_NAME.test(name) || name === "." || name === "..") throw invalid(`${what}: must be a name of letters, digits, ':', '-', '_' or '.'`);
  return name;
}

export function clusterRoutes(deps: ClusterRouteDeps) {
  const { directory, vms, workers } = deps.clusters;
  return new Elysia({ name: "clusters" })
    .use(clusterConsoleRoutes(deps.console?.cluster))
    .get("/api/clusters", async () => ({ clusters: await directory.list() }))
    .post("/api/clusters", ({ body }) => directory.add(body), { body: AddClusterBody })
    .post("/api/clusters/inspect", ({ body }) => directory.inspect(body.url), { body: InspectClusterBody })
    .delete("/api/clusters/:cluster", ({ params }) => {
      directory.remove(clusterName(params.cluster));
      return { removed: params.cluster };
    })
    .get("/api/clusters/:cluster/workers", async ({ params }) => ({ workers: await workers.list(clusterName(params.cluster)) }))
    .post("/api/clusters/:cluster/workers/:worker/pause", ({ params, body }) => {
      checkEmptyBody(body);
      return workers.setPaused(clusterName(params.cluster), orchardName(params.worker, "worker"), true);
    })
    .post("/api/clusters/:cluster/workers/:worker/resume", ({ params, body }) => {
      checkEmptyBody(body);
      return workers.setPaused(clusterName(params.cluster), orchardName(params.worker, "worker"), false);
    })
    .get(
      "/api/clusters/:cluster/vms",
      // Polled by every open page: an ETag lets an unchanged list cost a 304, not a megabyte.
      async ({ params, request }) => {
        const { json, hash } = await vms.listBody(clusterName(params.cluster));
        return conditionalJson(request, json, hash);
      },
    )
    .post("/api/clusters/:cluster/vms", async ({ params, body }) => toWire(await vms.create(clusterName(params.cluster), body)), { body: CreateClusterVmBody })
    .post("/api/clusters/:cluster/vms/:name/stop", async ({ params, body }) => {
      checkEmptyBody(body);
      return toWire(await vms.stop(clusterName(params.cluster), orchardName(params.name, "name")));
    })
    .delete("/api/clusters/:cluster/vms/:name", async ({ params }) => toWire(await vms.delete(clusterName(params.cluster), orchardName(params.name, "name"))));
}

function clusterConsoleRoutes(deps: ConsoleDeps["cluster"]) {
  if (!deps) return new Elysia({ name: "cluster-console" });
  return new Elysia({ name: "cluster-console" })
    .use(deps.proxy.routes())
    .use(deps.shellStreams.routes())
    .post("/api/clusters/:cluster/vms/:name/console", ({ params, body }) => {
      checkEmptyBody(body);
      return deps.consoles.ticket(clusterName(params.cluster), orchardName(params.name, "name"));
    })
    .post("/api/clusters/:cluster/vms/:name/shell", ({ params, body }) => {
      checkEmptyBody(body);
      return deps.shells.ticket(clusterName(params.cluster), orchardName(params.name, "name"));
    });
}
