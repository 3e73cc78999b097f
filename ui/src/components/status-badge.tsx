/** The VM status pill. Shows tart's finer state ("suspended") when it differs from the status. */
import { Show } from "solid-js";
import type { Vm } from "../api/types.ts";

export function StatusBadge(props: { vm: Vm }) {
  const label = () => (props.vm.state === "suspended" ? "suspended" : props.vm.status);
  return (
    <span class={`badge badge-${label()}`} data-testid="vm-status" data-status={props.vm.status}>
      <span class="dot" aria-hidden="true" />
      {label()}
      <Show when={props.vm.active_task_id}>
        <span class="spinner" role="img" aria-label="busy" data-testid="vm-busy" />
      </Show>
    </span>
  );
}
