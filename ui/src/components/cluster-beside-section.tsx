/**
 * One Orchard cluster on the VMs page, under the local VMs and images: a compact table of its
 * VMs (name, state, worker, image, CPU and memory) through the page's own filter, capped at
 * BESIDE_CAP rows with a link to the cluster's full view on the Clusters page. A cluster that is
 * not connected is one line saying so, and its VMs are not asked for. The list is polled every
 * 3 s while the tab is visible — one request per cluster, which the server coalesces with the
 * Clusters page's own polls into about one controller call a second.
 */
import { createMemo, For, Show } from "solid-js";
import type { Cluster } from "../api/types.ts";
import { useRouter } from "../context/router.tsx";
import { useSession } from "../context/session.tsx";
import { besideRows } from "../lib/cluster-beside.ts";
import { healthText, memoryGb } from "../lib/cluster-view.ts";
import { createClusterVmList } from "../lib/cluster-vm-list.ts";
import type { StatusFilter } from "../stores/vms.ts";

const VM_POLL_MS = 3000;

/** Opens the Clusters page and brings this cluster's section into view once it has rendered. */
function openClusterView(navigate: () => void, testid: string) {
  navigate();
  let tries = 0;
  const reveal = () => {
    const section = document.querySelector(`[data-testid="${testid}"]`);
    if (section) section.scrollIntoView({ block: "start" });
    else if (++tries < 40) setTimeout(reveal, 50);
  };
  reveal();
}

export function ClusterBesideSection(props: { cluster: Cluster; text: string; status: StatusFilter }) {
  const session = useSession();
  const router = useRouter();
  const name = () => props.cluster.name;
  const connected = () => props.cluster.health.state === "ok";
  const { vms, loadError } = createClusterVmList({
    api: session.api,
    cluster: name,
    intervalMs: VM_POLL_MS,
    enabled: () => session.state.auth === "signed-in" && session.state.online && connected(),
  });

  const shown = createMemo(() => besideRows(vms() ?? [], props.text, props.status));
  const filtered = () => shown().matched !== (vms()?.length ?? 0);
  const testid = () => `beside-${name()}`;
  const open = (e: MouseEvent) => {
    e.preventDefault();
    openClusterView(() => router.navigate("clusters"), `cluster-${name()}`);
  };
  // One line instead of the table: the cluster's health, else the list request's refusal.
  const problem = () => (!connected() ? healthText(props.cluster) : loadError());

  return (
    <section class="vm-section cluster-beside" data-testid={testid()} aria-labelledby={`${testid()}-title`}>
      <div class="section-head">
        <h2 id={`${testid()}-title`} class="section-title">
          Cluster {name()}
          <Show when={connected() && vms()}>
            {(list) => (
              <span class="count" data-testid={`${testid()}-count`}>
                <Show when={filtered()} fallback={list().length}>
                  {shown().matched} of {list().length}
                </Show>
              </span>
            )}
          </Show>
        </h2>
        <a href="/clusters" class="small" data-testid={`${testid()}-open`} onClick={open}>
          Full view on the Clusters page
        </a>
      </div>
      <Show
        when={!problem()}
        fallback={
          <p class="muted" data-testid={`${testid()}-state`} data-state={connected() ? "list-refused" : props.cluster.health.state}>
            {problem()}
          </p>
        }
      >
        <Show when={vms()} fallback={<p class="muted" data-testid={`${testid()}-loading`}>Loading…</p>}>
          {(list) => (
            <Show
              when={shown().rows.length}
              fallback={<p class="empty" data-testid={`${testid()}-empty`}>{list().length ? "No VM matches the filter." : "No VMs on this cluster yet."}</p>}
            >
              <div class="table-wrap">
                <table class="vm-table" data-testid={`${testid()}-vms`}>
                  <caption class="visually-hidden">VMs of cluster {name()}</caption>
                  <thead>
                    <tr>
                      <For each={["Name", "State", "Worker", "Image", "CPU", "Memory"]}>{(column) => <th scope="col">{column}</th>}</For>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={shown().rows}>
                      {(vm) => (
                        <tr data-testid="beside-vm-row" data-name={vm.name} data-state={vm.state}>
                          <th scope="row">{vm.name}</th>
                          <td data-label="State">
                            <span class={`badge badge-${vm.state}`} title={vm.status_message ?? undefined} data-testid="beside-vm-state">
                              <span class="dot" aria-hidden="true" />
                              {vm.state}
                            </span>
                          </td>
                          <td data-label="Worker">{vm.worker ?? "—"}</td>
                          <td data-label="Image" class="image-cell">{vm.image}</td>
                          <td data-label="CPU">{vm.cpu ?? "—"}</td>
                          <td data-label="Memory">{memoryGb(vm.memory_mib)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={shown().matched > shown().rows.length}>
                <p class="muted small" data-testid={`${testid()}-capped`}>
                  The first {shown().rows.length} of {shown().matched}.{" "}
                  <a href="/clusters" onClick={open}>
                    Show all on the Clusters page
                  </a>
                </p>
              </Show>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
