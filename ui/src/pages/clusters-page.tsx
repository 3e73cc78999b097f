/**
 * Clusters: every Orchard cluster the server knows (its CLI contexts and the ones added here),
 * each as a <ClusterSection>, and "Add cluster". The cluster list (with each controller's
 * health) is polled every 5 s: a controller going down shows on its section, nothing else.
 */
import { createSignal, For, Show } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { Cluster } from "../api/types.ts";
import { AddClusterDialog } from "../components/add-cluster-dialog.tsx";
import { ClusterSection } from "../components/cluster-section.tsx";
import { Icon } from "../components/icons.tsx";
import { useSession } from "../context/session.tsx";
import { useToasts } from "../context/toasts.tsx";
import { createPollLoop } from "../lib/poll-loop.ts";

const CLUSTERS_POLL_MS = 5000;

export function ClustersPage() {
  const session = useSession();
  const toasts = useToasts();
  const [clusters, setClusters] = createSignal<Cluster[] | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [adding, setAdding] = createSignal(false);
  const load = async () => {
    const api = session.api();
    if (!api) return;
    try {
      setClusters((await api.clusters()).clusters);
      setError(null);
    } catch (err) {
      session.reportError(err);
      setError(errorDetail(err));
    }
  };
  createPollLoop({ intervalMs: CLUSTERS_POLL_MS, enabled: () => session.state.auth === "signed-in" && session.state.online, tick: load });
  const remove = async (name: string) => {
    const api = session.api();
    if (!api) return;
    try {
      await api.removeCluster(name);
      toasts.show("success", `Cluster ${name} removed.`);
      await load();
    } catch (err) {
      toasts.show("error", errorDetail(err));
    }
  };

  return (
    <div class="page-stack">
      <div class="toolbar" role="toolbar" aria-label="Clusters">
        <h1 class="page-title">Orchard clusters</h1>
        <span class="spacer" />
        <button type="button" class="button primary" data-testid="add-cluster-button" onClick={() => setAdding(true)}>
          <Icon name="plus" />
          <span>Add cluster</span>
        </button>
      </div>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <Show when={clusters()} fallback={<p class="muted">Loading…</p>}>
        {(list) => (
          <Show when={list().length} fallback={<p class="muted" data-testid="no-clusters">No clusters yet. Contexts of the orchard CLI (~/.orchard/orchard.yml) appear here by themselves; or add a controller.</p>}>
            {/* Keyed by name, not object: a health change updates a section instead of rebuilding it (its filters and page stay). */}
            <For each={list().map((cluster) => cluster.name)}>
              {(name) => (
                <Show when={list().find((cluster) => cluster.name === name)}>
                  {(cluster) => <ClusterSection cluster={cluster()} onRemove={() => void remove(name)} />}
                </Show>
              )}
            </For>
          </Show>
        )}
      </Show>
      <Show when={adding()}>
        <AddClusterDialog
          onClose={() => setAdding(false)}
          onAdded={(cluster) => {
            setAdding(false);
            toasts.show("success", `Cluster ${cluster.name} added.`);
            void load();
          }}
        />
      </Show>
    </div>
  );
}
