/**
 * The two tables of a cluster section: its workers (state, capacity, labels, pause/resume) and
 * one page of its VMs (state with the in-flight label of a running task, worker, image, size,
 * restarts, and console / shell / stop / recreate / delete). Rows fold into blocks on a phone (styles.css,
 * data-label), like the local VM table.
 */
import { For, Show } from "solid-js";
import type { ClusterVm, ClusterWorker } from "../api/types.ts";
import { clusterSubject, memoryGb, workerCapacity, workerState } from "../lib/cluster-view.ts";
import { clusterConsolePath, clusterShellPath } from "../lib/console-routes.ts";
import { Icon } from "./icons.tsx";

function TableHead(props: { columns: string[] }) {
  return (
    <thead>
      <tr>
        <For each={props.columns}>{(column) => <th scope="col">{column}</th>}</For>
        <th scope="col">
          <span class="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
  );
}

export function ClusterWorkersTable(props: { cluster: string; workers: ClusterWorker[]; onPause: (worker: ClusterWorker) => void }) {
  return (
    <div class="table-wrap">
      <table class="vm-table" data-testid={`cluster-${props.cluster}-workers`}>
        <caption class="visually-hidden">Workers of {props.cluster}</caption>
        <TableHead columns={["Worker", "State", "Capacity", "Labels"]} />
        <tbody>
          <For each={props.workers}>
            {(worker) => (
              <tr data-testid="cluster-worker-row" data-name={worker.name}>
                <td data-label="Worker">{worker.name}</td>
                <td data-label="State">
                  <span class="badge" classList={{ [workerState(worker) === "online" ? "badge-running" : `badge-${workerState(worker)}`]: true }} data-testid="cluster-worker-state">
                    {workerState(worker)}
                  </span>
                </td>
                <td data-label="Capacity">{workerCapacity(worker)}</td>
                <td data-label="Labels">{Object.entries(worker.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "—"}</td>
                <td class="actions-cell">
                  <button type="button" class="button small" data-testid="cluster-worker-pause" onClick={() => props.onPause(worker)}>
                    {worker.scheduling_paused ? "Resume scheduling" : "Pause scheduling"}
                  </button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}

export function ClusterVmTable(props: {
  cluster: string;
  vms: ClusterVm[];
  /** Task subject → what its unfinished task is doing. */
  busy: Map<string, string>;
  onStop: (vm: ClusterVm) => void;
  onRemove: (vm: ClusterVm) => void;
  onRecreate: (vm: ClusterVm) => void;
}) {
  return (
    <div class="table-wrap">
      <table class="vm-table" data-testid={`cluster-${props.cluster}-vms`}>
        <caption class="visually-hidden">VMs of {props.cluster}</caption>
        <TableHead columns={["Name", "State", "Worker", "Image", "CPU", "Memory", "Restarts"]} />
        <tbody>
          <For each={props.vms}>
            {(vm) => {
              const inFlight = () => props.busy.get(clusterSubject(props.cluster, vm.name)) ?? null;
              return (
                <tr data-testid="cluster-vm-row" data-name={vm.name} data-state={vm.state}>
                  <td data-label="Name">{vm.name}</td>
                  <td data-label="State">
                    <span class="badge" classList={{ [`badge-${vm.state}`]: !inFlight(), "badge-busy": !!inFlight() }} data-testid="cluster-vm-state" title={vm.status_message ?? undefined}>
                      <Show when={inFlight()} fallback={<><span class="dot" aria-hidden="true" />{vm.state}</>}>
                        <span class="spinner" aria-hidden="true" />
                        {inFlight()}
                      </Show>
                    </span>
                    <Show when={vm.status_message && vm.state !== "stopped"}>
                      <span class="muted small status-message" data-testid="cluster-vm-message"> {vm.status_message}</span>
                    </Show>
                    <Show when={vm.state === "stopped"}>
                      <span class="muted small" data-testid="cluster-vm-stopped-note"> Orchard cannot run a stopped VM again: recreate it.</span>
                    </Show>
                  </td>
                  <td data-label="Worker">{vm.worker ?? "—"}</td>
                  <td data-label="Image" class="image-cell">{vm.image}</td>
                  <td data-label="CPU">{vm.cpu ?? "—"}</td>
                  <td data-label="Memory">{memoryGb(vm.memory_mib)}</td>
                  <td data-label="Restarts">{vm.restart_count}</td>
                  <td class="actions-cell">
                    <Show when={vm.state === "running" && !inFlight()}>
                      <a class="icon-button" href={clusterConsolePath(props.cluster, vm.name)} target="_blank" title="The VM's screen, in the browser (through the controller)" aria-label={`Open the console of ${vm.name}`} data-testid="cluster-vm-console">
                        <Icon name="monitor" />
                      </a>
                      <a class="icon-button" href={clusterShellPath(props.cluster, vm.name)} target="_blank" title="A shell in the guest, in the browser (through the controller's exec)" aria-label={`Open a shell on ${vm.name}`} data-testid="cluster-vm-shell">
                        <Icon name="terminal" />
                      </a>
                    </Show>
                    <Show when={vm.state === "running" || vm.state === "pending"}>
                      <button type="button" class="icon-button" title={`Stop ${vm.name} (one way: it cannot run again)`} aria-label={`Stop ${vm.name}`} disabled={!!inFlight()} data-testid="cluster-vm-stop" onClick={() => props.onStop(vm)}>
                        <Icon name="stop" />
                      </button>
                    </Show>
                    <Show when={vm.state === "stopped" || vm.state === "failed"}>
                      <button type="button" class="icon-button" title={`Recreate ${vm.name}`} aria-label={`Recreate ${vm.name}`} disabled={!!inFlight()} data-testid="cluster-vm-recreate" onClick={() => props.onRecreate(vm)}>
                        <Icon name="retry" />
                      </button>
                    </Show>
                    <button type="button" class="icon-button" title={`Delete ${vm.name}`} aria-label={`Delete ${vm.name}`} disabled={!!inFlight()} data-testid="cluster-vm-delete" onClick={() => props.onRemove(vm)}>
                      <Icon name="trash" />
                    </button>
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}
