/**
 * A VM's configuration: the normalised values (CPU, memory, disk) and the raw `tart get` JSON.
 * OCI images have no config and the server says so — that detail is shown as is. A local VM's
 * dialog also holds its "start with the server" switch (autostart-toggle.tsx).
 */
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { Vm } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { formatCpu, formatDisk, formatMemory } from "../lib/format.ts";
import { Dialog } from "./dialog.tsx";
import { Icon } from "./icons.tsx";
import { AutostartToggle } from "./autostart-toggle.tsx";

export function ConfigDialog(props: { vm: Vm; onClose: () => void }) {
  const session = useSession();
  const [force, setForce] = createSignal(0);
  const [config] = createResource(
    () => {
      const api = session.api();
      return api ? { api, name: props.vm.name, force: force() } : false;
    },
    (key) => key.api.vmConfig(key.name, key.force > 0),
  );

  return (
    <Dialog title={`Configuration of ${props.vm.name}`} testid="dialog-config" onClose={props.onClose} wide>
      <Switch>
        <Match when={config.error}>
          <p class="form-error" role="alert" data-testid="config-error">
            {errorDetail(config.error)}
          </p>
        </Match>
        <Match when={config.loading && !config.latest}>
          <p aria-live="polite">Loading…</p>
        </Match>
        <Match when={config.latest}>
          {(cfg) => (
            <>
              <dl class="facts facts-wide">
                <div>
                  <dt>CPU</dt>
                  <dd data-testid="config-cpu">{formatCpu(cfg().cpu)}</dd>
                </div>
                <div>
                  <dt>Memory</dt>
                  <dd data-testid="config-memory">{formatMemory(cfg().memory)}</dd>
                </div>
                <div>
                  <dt>Disk</dt>
                  <dd data-testid="config-disk">{formatDisk(cfg().disk_size)}</dd>
                </div>
              </dl>
              <h3 class="subheading">Raw (tart get --format json)</h3>
              <pre class="code" data-testid="config-raw" tabindex="0">
                {JSON.stringify(cfg().raw, null, 2)}
              </pre>
            </>
          )}
        </Match>
      </Switch>
      <Show when={props.vm.kind === "local"}>
        <AutostartToggle name={props.vm.name} />
      </Show>
      <div class="dialog-actions">
        <Show when={config.loading && config.latest}>
          <span class="muted">Reloading…</span>
        </Show>
        <button type="button" class="button" data-testid="config-reload" onClick={() => setForce((n) => n + 1)}>
          <Icon name="refresh" />
          <span>Reload from tart</span>
        </button>
        <button type="button" class="button primary" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
