/**
 * Page-wide problems, above everything else: the server cannot be reached (with a countdown-free
 * "reconnecting" state and a Retry button), tart is missing (with the install command), or the
 * inventory could not be refreshed from tart. While the server is still looking for tart (the
 * first moments after it started) a quiet notice says so; actions stay enabled meanwhile.
 */
import { Show } from "solid-js";
import { useInventory } from "../context/inventory.tsx";
import { useSession } from "../context/session.tsx";
import { tartProblem, tartState } from "../stores/session.ts";
import { Icon } from "./icons.tsx";

export function Banners() {
  const session = useSession();
  const inventory = useInventory();
  const tart = () => tartProblem(session.state.health);
  const inventoryError = () => session.state.health?.inventory?.error ?? null;
  return (
    <div class="banners">
      <Show when={!session.state.online}>
        <div class="banner warning" role="status" data-testid="banner-offline">
          <span class="spinner" aria-hidden="true" />
          <span>
            Lost contact with the taartenfabriek server — reconnecting… Is it still running?
            <Show when={session.state.lastError}>
              <span class="muted small"> ({session.state.lastError})</span>
            </Show>
          </span>
          <button type="button" class="button small" onClick={() => session.recheck()} data-testid="banner-offline-retry">
            Retry now
          </button>
        </div>
      </Show>
      <Show when={session.state.online && tartState(session.state.health) === "checking"}>
        <div class="banner info" role="status" data-testid="banner-tart-checking">
          <Icon name="info" />
          <span>Checking for tart…</span>
        </div>
      </Show>
      <Show when={tart()}>
        <div class="banner error" role="alert" data-testid="banner-tart-missing">
          <Icon name="alert" />
          <span>
            <strong>Tart is not available.</strong> {tart()} VM actions are disabled until it is installed; then restart the server
            or press Refresh.
            <code class="block">brew install cirruslabs/cli/tart</code>
          </span>
        </div>
      </Show>
      <Show when={!tart() && (inventoryError() || (inventory.state.error && session.state.online))}>
        <div class="banner warning" role="status" data-testid="banner-inventory-error">
          <Icon name="alert" />
          <span>
            The VM list may be out of date: {inventoryError() ?? inventory.state.error}
          </span>
        </div>
      </Show>
    </div>
  );
}
