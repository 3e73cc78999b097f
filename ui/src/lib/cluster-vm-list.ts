/**
 * One cluster's VM list as the pages poll it (the Clusters page's section and the VMs page's
 * section beside the local VMs): every `intervalMs` while `enabled()`, sending back the ETag of
 * the list shown so an unchanged one is a 304 — no bytes, no parse, no re-render — and keeping
 * the rows of VMs that did not change (keepUnchanged). `vms()` is null until the first answer.
 */
import { createSignal } from "solid-js";
import { errorDetail, type ApiClient } from "../api/client.ts";
import type { ClusterVm } from "../api/types.ts";
import { keepUnchanged } from "./cluster-view.ts";
import { createPollLoop } from "./poll-loop.ts";

export function createClusterVmList(options: {
  api: () => ApiClient | null;
  cluster: () => string;
  intervalMs: number;
  enabled: () => boolean;
  /** Told each list that differs from the one shown before. */
  onChanged?: (vms: ClusterVm[]) => void;
}) {
  const [vms, setVms] = createSignal<ClusterVm[] | null>(null);
  const [loadError, setLoadError] = createSignal<string | null>(null);
  let etag: string | null = null;
  const load = async () => {
    const api = options.api();
    if (!api) return;
    try {
      const answer = await api.clusterVmsIfChanged(options.cluster(), etag);
      setLoadError(null);
      if (!answer) return; // unchanged since the last poll
      etag = answer.etag;
      setVms((previous) => keepUnchanged(previous ?? [], answer.vms));
      options.onChanged?.(answer.vms);
    } catch (err) {
      setLoadError(errorDetail(err));
    }
  };
  createPollLoop({ intervalMs: options.intervalMs, enabled: options.enabled, tick: load });
  return { vms, loadError, load };
}
