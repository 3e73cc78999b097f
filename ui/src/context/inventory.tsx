/**
 * InventoryProvider and useInventory(): the VM list, kept current by the event stream's VM events
 * (context/live-events.tsx) and, only while that stream is down, by polling `GET /api/vms` every
 * 3 s (the server answers from its cache, with a 304 when nothing changed); and by the Refresh
 * button (`POST /api/vms/refresh`, which asks tart). Polling pauses while the tab is hidden or the
 * server is unreachable; the session's health loop notices when it is back.
 */
import { createContext, onCleanup, useContext, type JSX } from "solid-js";
import { createStore, reconcile, unwrap } from "solid-js/store";
import { errorDetail } from "../api/client.ts";
import { createPollLoop } from "../lib/poll-loop.ts";
import { initialVmState, vmReducer, type VmAction, type VmState } from "../stores/vms.ts";
import { useSession } from "./session.tsx";

export const VM_POLL_MS = 3000;

export interface InventoryValue {
  state: VmState;
  dispatch: (action: VmAction) => void;
  /** Loads the cached list now (after an action finished); `fresh` ignores the ETag. */
  reload: (fresh?: boolean) => Promise<void>;
  /** Asks the server to re-read tart; throws the server's error for the caller to show. */
  refresh: () => Promise<void>;
}

const InventoryContext = createContext<InventoryValue>();

export function InventoryProvider(props: { children: JSX.Element }) {
  const session = useSession();
  const [state, setState] = createStore<VmState>(initialVmState());
  // Keyed by name so a poll that changes one VM re-renders one card, not 2,000.
  const dispatch = (action: VmAction) => setState(reconcile(vmReducer(unwrap(state), action), { key: "name", merge: true }));

  let inFlight = false;

  /** `fresh`: download the list even if the ETag says unchanged (the event stream starts over). */
  async function reload(fresh = false) {
    const api = session.api();
    if (!api || (inFlight && !fresh)) return;
    inFlight = true;
    try {
      const answer = await api.listVmsIfChanged(fresh ? null : state.etag);
      // An unchanged list (most polls of an idle inventory) costs a 304: no parse, no reconcile.
      if (answer) dispatch({ type: "loaded", vms: answer.vms, etag: answer.etag, at: Date.now() });
      else dispatch({ type: "unchanged", at: Date.now() });
    } catch (err) {
      session.reportError(err);
      dispatch({ type: "loadFailed", error: errorDetail(err) });
    } finally {
      inFlight = false;
    }
  }

  // Start polling once signed in; a server coming back online triggers an immediate load.
  createPollLoop({
    intervalMs: VM_POLL_MS,
    // The event stream brings every change while it is up (context/live-events.tsx).
    enabled: () => session.state.auth === "signed-in" && session.state.online && !session.state.live,
    tick: () => reload(),
  });
  const onVisible = () => {
    if (document.visibilityState === "visible") void reload();
  };
  document.addEventListener("visibilitychange", onVisible);
  onCleanup(() => document.removeEventListener("visibilitychange", onVisible));

  const value: InventoryValue = {
    state,
    dispatch,
    reload,
    async refresh() {
      const api = session.api();
      if (!api) return;
      dispatch({ type: "refreshStarted" });
      try {
        dispatch({ type: "loaded", vms: await api.refreshVms(), at: Date.now() });
      } catch (err) {
        session.reportError(err);
        throw err;
      } finally {
        dispatch({ type: "refreshFinished" });
      }
    },
  };
  return <InventoryContext.Provider value={value}>{props.children}</InventoryContext.Provider>;
}

export function useInventory(): InventoryValue {
  const value = useContext(InventoryContext);
  if (!value) throw new Error("useInventory() outside <InventoryProvider>");
  return value;
}
