/**
 * The check before a console or shell ticket for a cluster VM: the controller is asked for the
 * VM, so a missing VM is the ticket request's 404 and one that is not running its 409, while
 * there is still an HTTP answer to give (a refused websocket only gets a close code).
 */
import { AppError } from "../domain/errors.ts";
import type { ClusterDirectory } from "./cluster-directory.ts";
import { clusterError } from "./cluster-errors.ts";
import { vmState, type OrchardVm } from "./orchard-resources.ts";

export async function runningClusterVm(directory: ClusterDirectory, cluster: string, name: string, what: string): Promise<OrchardVm> {
  const client = directory.client(cluster);
  let vm: OrchardVm;
  try {
    vm = (await client.call<OrchardVm>("GET", `/vms/${encodeURIComponent(name)}`)).body;
  } catch (error) {
    throw clusterError(error, cluster, `No VM named ${name} on cluster ${cluster}`);
  }
  const state = vmState(vm);
  if (state !== "running") {
    throw new AppError("conflict", `Cluster VM ${name} is ${state}${vm.status_message ? ` (${vm.status_message})` : ""}: only a running VM has ${what}`);
  }
  return vm;
}
