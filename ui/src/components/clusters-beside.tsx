/**
 * The Orchard clusters on the VMs page: the cluster list (with each controller's health) polled
 * every 5 s like the Clusters page — every 30 s while there is none, only to notice one added
 * with `orchard context create` — and one <ClusterBesideSection> per cluster. No cluster
 * configured, or the list not loaded (yet, or refused): nothing at all, so a one-Mac user sees
 * the page as before.
 */
import { createSignal, For, Show } from "solid-js";
import type { Cluster } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { createPollLoop } from "../lib/poll-loop.ts";
import type { StatusFilter } from "../stores/vms.ts";
import { ClusterBesideSection } from "./cluster-beside-section.tsx";

const CLUSTERS_POLL_MS = 5000;
const NO_CLUSTERS_POLL_MS = 30_000;

export function ClustersBeside(props: { text: string; status: StatusFilter }) {
  const session = useSession();
  const [clusters, setClusters] = createSignal<Cluster[]>([]);
  const load = async () => {
    const api = session.api();
    if (!api) return;
    try {
      setClusters((await api.clusters()).clusters);
    } catch {
      // The local list above reports the server's state; a cluster list refused shows nothing.
    }
  };
  createPollLoop({ intervalMs: () => (clusters().length ? CLUSTERS_POLL_MS : NO_CLUSTERS_POLL_MS), enabled: () => session.state.auth === "signed-in" && session.state.online, tick: load });
  return (
    // Keyed by name: a health change updates a section in place instead of rebuilding it.
    <For each={clusters().map((cluster) => cluster.name)}>
      {(name) => (
        <Show when={clusters().find((cluster) => cluster.name === name)}>
          {(cluster) => <ClusterBesideSection cluster={cluster()} text={props.text} status={props.status} />}
        </Show>
      )}
    </For>
  );
}
