/**
 * The VM status pill. While a task runs on the VM it says what is happening ("Starting…",
 * "Pulling 43%") with a spinner instead of the status it is leaving; an OCI image says "Image"
 * (it is never run, so "stopped" would be a wrong word); otherwise tart's state, with
 * "suspended" where that differs from the status (its tooltip says what that means: Resume picks
 * up where it was). `data-status` keeps the API's status for tests.
 */
import { Match, Switch } from "solid-js";
import type { Vm } from "../api/types.ts";
import { isOci } from "../stores/vms.ts";

export function StatusBadge(props: { vm: Vm; busy: string | null }) {
  const label = () => (props.vm.state === "suspended" ? "suspended" : props.vm.status);
  return (
    <span
      class="badge"
      classList={{ [`badge-${label()}`]: !props.busy && !isOci(props.vm), "badge-busy": !!props.busy, "badge-image": !props.busy && isOci(props.vm) }}
      data-testid="vm-status"
      data-status={props.vm.status}
      data-busy={props.busy ?? undefined}
      title={!props.busy && props.vm.state === "suspended" ? "Suspended: its memory is saved on disk; Resume continues where it was" : undefined}
    >
      <Switch>
        <Match when={props.busy}>
          <span class="spinner" aria-hidden="true" data-testid="vm-busy" />
          <span data-testid="vm-busy-label">{props.busy}</span>
        </Match>
        <Match when={isOci(props.vm)}>Image</Match>
        <Match when={true}>
          <span class="dot" aria-hidden="true" />
          {label()}
        </Match>
      </Switch>
    </span>
  );
}
