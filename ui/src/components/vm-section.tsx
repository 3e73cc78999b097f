/**
 * One section of the VM page ("Local VMs" or "Images"): heading with counts, how it is sorted
 * (a key, a direction, running first), one page of cards or table rows, and a pager with a page
 * size. Only the current page is in the DOM.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useVmList } from "../context/vm-list.tsx";
import { PAGE_SIZE, type ViewMode } from "../stores/prefs.ts";
import { DEFAULT_SORT, pageOf, SORT_LABELS, sortVms, toggleSort, type SortKey, type SortOrder } from "../stores/vms.ts";
import { ImageCard } from "./image-card.tsx";
import { Pager } from "./pager.tsx";
import { VmCard } from "./vm-card.tsx";
import { VmTable } from "./vm-table.tsx";

const LOCAL_KEYS: SortKey[] = ["name", "status", "cpu", "memory", "disk", "size_on_disk", "accessed"];
const IMAGE_KEYS: SortKey[] = ["name", "disk", "size_on_disk", "accessed"];

export function VmSection(props: {
  id: "oci" | "local";
  title: string;
  vms: Vm[];
  total: number;
  view: ViewMode;
  empty: string;
}) {
  const list = useVmList();
  const images = () => props.id === "oci";
  const [page, setPage] = createSignal(0);
  const [size, setSize] = createSignal<number | null>(null);
  const [sort, setSort] = createSignal<SortOrder>(DEFAULT_SORT);
  const pageSize = () => size() ?? PAGE_SIZE[props.view];
  const sorted = createMemo(() => sortVms(props.vms, sort()));
  const current = () => pageOf(sorted(), page(), pageSize());
  const headingId = `section-${props.id}-title`;
  const onSort = (key: SortKey) => setSort((s) => toggleSort(s, key));
  return (
    <section class="vm-section" data-testid={`section-${props.id}`} aria-labelledby={headingId}>
      <div class="section-head">
        <h2 id={headingId} class="section-title">
          {props.title}
          <span class="count" data-testid={`section-${props.id}-count`}>
            <Show when={props.vms.length !== props.total} fallback={props.total}>
              {props.vms.length} of {props.total}
            </Show>
          </span>
        </h2>
        <Show when={props.total > 1}>
          <div class="sort-controls" role="group" aria-label={`Sort ${props.title}`}>
            <label>
              <span class="muted small">Sort</span>
              <select
                value={sort().key}
                data-testid={`sort-key-${props.id}`}
                onChange={(e) => setSort((s) => ({ ...s, key: e.currentTarget.value as SortKey }))}
              >
                <For each={images() ? IMAGE_KEYS : LOCAL_KEYS}>{(key) => <option value={key}>{SORT_LABELS[key]}</option>}</For>
              </select>
            </label>
            <button
              type="button"
              class="button small icon-only"
              aria-label={sort().dir === "asc" ? "Ascending; switch to descending" : "Descending; switch to ascending"}
              title={sort().dir === "asc" ? "Ascending" : "Descending"}
              data-testid={`sort-dir-${props.id}`}
              onClick={() => setSort((s) => ({ ...s, dir: s.dir === "asc" ? "desc" : "asc" }))}
            >
              {sort().dir === "asc" ? "↑" : "↓"}
            </button>
            <Show when={!images()}>
              <label class="checkbox-inline">
                <input
                  type="checkbox"
                  checked={sort().runningFirst}
                  data-testid={`running-first-${props.id}`}
                  onChange={(e) => setSort((s) => ({ ...s, runningFirst: e.currentTarget.checked }))}
                />
                <span>Running first</span>
              </label>
            </Show>
          </div>
        </Show>
      </div>
      <Show when={props.vms.length > 0} fallback={<p class="empty" data-testid={`section-${props.id}-empty`}>{props.empty}</p>}>
        <Switch>
          <Match when={props.view === "cards"}>
            <div class="vm-grid">
              <For each={current().items}>{(vm) => (images() ? <ImageCard vm={vm} /> : <VmCard vm={vm} />)}</For>
            </div>
          </Match>
          <Match when={props.view === "table"}>
            <VmTable
              vms={current().items}
              caption={props.title}
              images={images()}
              sort={sort()}
              onSort={onSort}
              onSelectPage={(on) => {
                for (const vm of current().items) list.toggleSelected(vm.name, on);
              }}
            />
          </Match>
        </Switch>
        <Pager
          page={current()}
          label={props.title}
          size={pageSize()}
          onPage={setPage}
          onSize={(n) => {
            setSize(n);
            setPage(0);
          }}
        />
      </Show>
    </section>
  );
}
