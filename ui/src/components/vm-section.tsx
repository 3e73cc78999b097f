/**
 * One section of the VM page ("OCI images" or "Local VMs"): heading with counts, one page of
 * cards or table rows, and a pager. Only the current page is in the DOM.
 */
import { createSignal, For, Match, Show, Switch } from "solid-js";
import type { Vm } from "../api/types.ts";
import { PAGE_SIZE, type ViewMode } from "../stores/prefs.ts";
import { pageOf } from "../stores/vms.ts";
import { Pager } from "./pager.tsx";
import type { VmActionKind } from "./vm-actions.tsx";
import { VmCard } from "./vm-card.tsx";
import { VmTable } from "./vm-table.tsx";

export function VmSection(props: {
  id: "oci" | "local";
  title: string;
  vms: Vm[];
  total: number;
  view: ViewMode;
  empty: string;
  tartAvailable: boolean;
  onAction: (vm: Vm, kind: VmActionKind) => void;
}) {
  const [page, setPage] = createSignal(0);
  const current = () => pageOf(props.vms, page(), PAGE_SIZE[props.view]);
  const headingId = `section-${props.id}-title`;
  return (
    <section class="vm-section" data-testid={`section-${props.id}`} aria-labelledby={headingId}>
      <h2 id={headingId} class="section-title">
        {props.title}
        <span class="count" data-testid={`section-${props.id}-count`}>
          <Show when={props.vms.length !== props.total} fallback={props.total}>
            {props.vms.length} of {props.total}
          </Show>
        </span>
      </h2>
      <Show when={props.vms.length > 0} fallback={<p class="empty" data-testid={`section-${props.id}-empty`}>{props.empty}</p>}>
        <Switch>
          <Match when={props.view === "cards"}>
            <div class="vm-grid">
              <For each={current().items}>
                {(vm) => <VmCard vm={vm} tartAvailable={props.tartAvailable} onAction={props.onAction} />}
              </For>
            </div>
          </Match>
          <Match when={props.view === "table"}>
            <VmTable vms={current().items} caption={props.title} tartAvailable={props.tartAvailable} onAction={props.onAction} />
          </Match>
        </Switch>
        <Pager page={current()} label={props.title} onPage={setPage} />
      </Show>
    </section>
  );
}
