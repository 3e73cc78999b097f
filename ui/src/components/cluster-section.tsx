/**
 * One Orchard cluster: its health, its workers (state, capacity, pause/resume scheduling) and its
 * VMs — filter, state, paged table with the worker of each, create, stop (one way), recreate and
 * delete, a spinner while a task works on a VM. The VM list is polled every 2 s and the workers
 * every 5 s, and at once when a VM's worker or state changed (their capacity shows it); the server coalesces both into about one controller request a second however many
 * pages are open, and the table renders one page, so 2,000 VMs stay cheap.
 */
import { createMemo, createSignal, For, Show } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { Cluster, ClusterVm, ClusterWorker } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { useToasts } from "../context/toasts.tsx";
import { busyLabels, CLUSTER_STATE_FILTERS, filterClusterVms, healthText, type ClusterStateFilter } from "../lib/cluster-view.ts";
import { createClusterVmList } from "../lib/cluster-vm-list.ts";
import { createPollLoop } from "../lib/poll-loop.ts";
import { pageOf } from "../stores/vms.ts";
import { ClusterVmDialog } from "./cluster-vm-dialog.tsx";
import { ClusterVmTable, ClusterWorkersTable } from "./cluster-tables.tsx";
import { Icon } from "./icons.tsx";
import { Pager } from "./pager.tsx";

const VM_POLL_MS = 2000;
const WORKER_POLL_MS = 5000;

export function ClusterSection(props: { cluster: Cluster; onRemove: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const toasts = useToasts();
  const name = () => props.cluster.name;
  const [workers, setWorkers] = createSignal<ClusterWorker[]>([]);
  const [text, setText] = createSignal("");
  const [state, setState] = createSignal<ClusterStateFilter>("all");
  const [page, setPage] = createSignal(0);
  const [size, setSize] = createSignal(100);
  const [dialog, setDialog] = createSignal<{ recreate?: ClusterVm } | null>(null);
  const enabled = () => session.state.auth === "signed-in" && session.state.online;

  let lastPlacement: string | null = null;
  const list = createClusterVmList({
    api: session.api,
    cluster: name,
    intervalMs: VM_POLL_MS,
    enabled,
    // A VM placed, started, stopped or gone changes its worker's capacity: show that now, not
    // at the workers' next poll.
    onChanged: (next) => {
      const placement = next.map((vm) => `${vm.name}:${vm.worker ?? ""}:${vm.state}`).join("\n");
      if (placement === lastPlacement) return;
      const first = lastPlacement === null;
      lastPlacement = placement;
      if (!first) void loadWorkers();
    },
  });
  const vms = () => list.vms() ?? [];
  const loadVms = list.load;
  const loadWorkers = async () => {
    const api = session.api();
    if (!api) return;
    try {
      setWorkers((await api.clusterWorkers(name())).workers);
    } catch {
      // The VM list says what is wrong with the cluster; one message is enough.
    }
  };
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
        <ClusterWorkersTable cluster={name()} workers={workers()} onPause={(worker) => void pause(worker)} />
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
      <Show when={list.loadError()}>
        <p class="form-error" role="alert" data-testid={`${testid()}-error`}>{list.loadError()}</p>
      </Show>
      <Show when={shown().length} fallback={<p class="muted" data-testid={`${testid()}-empty`}>{vms().length ? "No VM matches the filter." : "No VMs on this cluster yet."}</p>}>
        <ClusterVmTable cluster={name()} vms={current().items} busy={busy()} onStop={stop} onRemove={remove} onRecreate={(vm) => setDialog({ recreate: vm })} />
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
