/**
 * One Orchard cluster: its health, its workers (state, capacity, pause/resume scheduling) and its
 * VMs — filter, state, paged table with the worker of each, create, stop (one way), recreate and
 * delete, a spinner while a task works on a VM. The VM list is polled every 2 s and the workers
 * every 5 s; the server coalesces both into about one controller request a second however many
 * pages are open, and the table renders one page, so 2,000 VMs stay cheap.
 */
import { createMemo, createSignal, For, Show } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { Cluster, ClusterVm, ClusterWorker } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { useToasts } from "../context/toasts.tsx";
import { busyLabels, keepUnchanged, CLUSTER_STATE_FILTERS, clusterSubject, filterClusterVms, healthText, memoryGb, workerCapacity, workerState, type ClusterStateFilter } from "../lib/cluster-view.ts";
import { createPollLoop } from "../lib/poll-loop.ts";
import { pageOf } from "../stores/vms.ts";
import { ClusterVmDialog } from "./cluster-vm-dialog.tsx";
import { Icon } from "./icons.tsx";
import { Pager } from "./pager.tsx";

const VM_POLL_MS = 2000;
const WORKER_POLL_MS = 5000;

export function ClusterSection(props: { cluster: Cluster; onRemove: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const toasts = useToasts();
  const name = () => props.cluster.name;
  const [vms, setVms] = createSignal<ClusterVm[]>([]);
  const [workers, setWorkers] = createSignal<ClusterWorker[]>([]);
  const [loadError, setLoadError] = createSignal<string | null>(null);
  const [text, setText] = createSignal("");
  const [state, setState] = createSignal<ClusterStateFilter>("all");
  const [page, setPage] = createSignal(0);
  const [size, setSize] = createSignal(100);
  const [dialog, setDialog] = createSignal<{ recreate?: ClusterVm } | null>(null);
  const enabled = () => session.state.auth === "signed-in" && session.state.online;

  const loadVms = async () => {
    const api = session.api();
    if (!api) return;
    try {
      const next = (await api.clusterVms(name())).vms;
      setVms((previous) => keepUnchanged(previous, next));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorDetail(err));
    }
  };
  const loadWorkers = async () => {
    const api = session.api();
    if (!api) return;
    try {
      setWorkers((await api.clusterWorkers(name())).workers);
    } catch {
      // The VM list says what is wrong with the cluster; one message is enough.
    }
  };
  createPollLoop({ intervalMs: VM_POLL_MS, enabled, tick: loadVms });
  createPollLoop({ intervalMs: WORKER_POLL_MS, enabled, tick: loadWorkers });

  const shown = createMemo(() => filterClusterVms(vms(), text(), state()));
  const current = () => pageOf(shown(), page(), size());
  const busy = createMemo(() => busyLabels(Object.values(tasks.state.byId)));
  const act = async (request: () => Promise<unknown>) => {
    try {
      await request();
    } catch {
      // tasks.run has toasted the refusal
    }
    void loadVms();
  };
  const stop = (vm: ClusterVm) => {
    const api = session.api();
    if (api) void act(() => tasks.run(() => api.stopClusterVm(name(), vm.name)));
  };
  const remove = (vm: ClusterVm) => {
    const api = session.api();
    if (api) void act(() => tasks.run(() => api.deleteClusterVm(name(), vm.name)));
  };
  const pause = async (worker: ClusterWorker) => {
    const api = session.api();
    if (!api) return;
    try {
      await api.pauseWorker(name(), worker.name, !worker.scheduling_paused);
      await loadWorkers();
    } catch (err) {
      toasts.show("error", errorDetail(err));
    }
  };
  const testid = () => `cluster-${name()}`;

  return (
    <section class="card cluster-section" data-testid={testid()} aria-labelledby={`${testid()}-title`}>
      <div class="section-head">
        <h2 id={`${testid()}-title`} class="section-title">
          {name()}
          <span class="count" data-testid={`${testid()}-count`}>{vms().length}</span>
        </h2>
        <span class="badge" classList={{ "badge-running": props.cluster.health.state === "ok", "badge-failed": props.cluster.health.state !== "ok" }} data-testid={`${testid()}-health`} data-state={props.cluster.health.state}>
          {healthText(props.cluster)}
        </span>
        <span class="spacer" />
        <span class="muted small cluster-url">
          {props.cluster.url}
          <Show when={props.cluster.read_only}> · from orchard.yml</Show>
        </span>
        <Show when={!props.cluster.read_only}>
          <button type="button" class="button small" data-testid={`${testid()}-remove`} onClick={() => props.onRemove()}>
            Remove
          </button>
        </Show>
      </div>
      <Show when={props.cluster.certificate_fingerprint}>
        <p class="muted small">
          Pinned certificate SHA-256: <code class="fingerprint">{props.cluster.certificate_fingerprint}</code>
        </p>
      </Show>

      <h3 class="subheading">Workers</h3>
      <Show when={workers().length} fallback={<p class="muted" data-testid={`${testid()}-no-workers`}>No workers known yet.</p>}>
        <div class="table-wrap">
          <table class="vm-table" data-testid={`${testid()}-workers`}>
            <caption class="visually-hidden">Workers of {name()}</caption>
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">State</th>
                <th scope="col">Capacity</th>
                <th scope="col">Labels</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              <For each={workers()}>
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
                      <button type="button" class="button small" data-testid="cluster-worker-pause" onClick={() => void pause(worker)}>
                        {worker.scheduling_paused ? "Resume scheduling" : "Pause scheduling"}
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>

      <h3 class="subheading">VMs</h3>
      <div class="toolbar" role="toolbar" aria-label={`VMs of ${name()}`}>
        <label class="visually-hidden" for={`${testid()}-filter`}>Filter VMs of {name()}</label>
        <input id={`${testid()}-filter`} type="search" class="search" placeholder="Filter by name, image, worker…" value={text()} data-testid={`${testid()}-filter`} onInput={(e) => { setText(e.currentTarget.value); setPage(0); }} />
        <label class="visually-hidden" for={`${testid()}-state`}>State</label>
        <select id={`${testid()}-state`} value={state()} data-testid={`${testid()}-state`} onChange={(e) => { setState(e.currentTarget.value as ClusterStateFilter); setPage(0); }}>
          <For each={CLUSTER_STATE_FILTERS}>{(value) => <option value={value}>{value === "all" ? "All states" : value}</option>}</For>
        </select>
        <span class="spacer" />
        <button type="button" class="button primary" data-testid={`${testid()}-create`} disabled={props.cluster.health.state !== "ok"} onClick={() => setDialog({})}>
          <Icon name="plus" />
          <span>Create VM</span>
        </button>
      </div>
      <Show when={loadError()}>
        <p class="form-error" role="alert" data-testid={`${testid()}-error`}>{loadError()}</p>
      </Show>
      <Show when={shown().length} fallback={<p class="muted" data-testid={`${testid()}-empty`}>{vms().length ? "No VM matches the filter." : "No VMs on this cluster yet."}</p>}>
        <div class="table-wrap">
          <table class="vm-table" data-testid={`${testid()}-vms`}>
            <caption class="visually-hidden">VMs of {name()}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Worker</th>
                <th scope="col">Image</th>
                <th scope="col">CPU</th>
                <th scope="col">Memory</th>
                <th scope="col">Restarts</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              <For each={current().items}>
                {(vm) => {
                  const inFlight = () => busy().get(clusterSubject(name(), vm.name)) ?? null;
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
                        <Show when={vm.state === "running" || vm.state === "pending"}>
                          <button type="button" class="icon-button" title={`Stop ${vm.name} (one way: it cannot run again)`} aria-label={`Stop ${vm.name}`} disabled={!!inFlight()} data-testid="cluster-vm-stop" onClick={() => stop(vm)}>
                            <Icon name="stop" />
                          </button>
                        </Show>
                        <Show when={vm.state === "stopped" || vm.state === "failed"}>
                          <button type="button" class="icon-button" title={`Recreate ${vm.name}`} aria-label={`Recreate ${vm.name}`} disabled={!!inFlight()} data-testid="cluster-vm-recreate" onClick={() => setDialog({ recreate: vm })}>
                            <Icon name="retry" />
                          </button>
                        </Show>
                        <button type="button" class="icon-button" title={`Delete ${vm.name}`} aria-label={`Delete ${vm.name}`} disabled={!!inFlight()} data-testid="cluster-vm-delete" onClick={() => remove(vm)}>
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
        <Pager page={current()} label={`VMs of ${name()}`} size={size()} onPage={setPage} onSize={(next) => { setSize(next); setPage(0); }} />
      </Show>
      <Show when={dialog()}>
        {(open) => (
          <ClusterVmDialog
            cluster={name()}
            recreate={open().recreate}
            onClose={() => setDialog(null)}
            onDone={() => {
              setDialog(null);
              void loadVms();
            }}
          />
        )}
      </Show>
    </section>
  );
}
