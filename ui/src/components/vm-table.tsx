/**
 * VMs (or images) as a table: denser than cards, for long inventories. Column headings sort
 * (aria-sort says how); a checkbox per row selects it for the bulk actions. Rows are keyed by VM
 * object identity. On a phone each row folds into a small block (see styles.css: every cell
 * carries its heading in data-label), so nothing scrolls sideways.
 */
import { For, Show } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useNow } from "../context/clock.tsx";
import { useVmList } from "../context/vm-list.tsx";
import { formatCpu, formatDisk, formatMemory, formatRelative, formatSizeOnDisk } from "../lib/format.ts";
import { osLabel, parseImageRef, shortDigest } from "../lib/vm-labels.ts";
import type { SortKey, SortOrder } from "../stores/vms.ts";
import { Icon } from "./icons.tsx";
import { StatusBadge } from "./status-badge.tsx";
import { VmActions } from "./vm-actions.tsx";

function SortHeading(props: { key: SortKey; label: string; sort: SortOrder; onSort: (key: SortKey) => void }) {
  const active = () => props.sort.key === props.key;
  return (
    <th scope="col" aria-sort={active() ? (props.sort.dir === "asc" ? "ascending" : "descending") : "none"}>
      <button
        type="button"
        class="sort-button"
        data-testid={`sort-${props.key}`}
        title={`Sort by ${props.label.toLowerCase()}`}
        onClick={() => props.onSort(props.key)}
      >
        {props.label}
        <Show when={active()}>
          <Icon name={props.sort.dir === "asc" ? "chevron-up" : "chevron-down"} size={12} />
        </Show>
      </button>
    </th>
  );
}

export function VmTable(props: {
  vms: Vm[];
  caption: string;
  images: boolean;
  sort: SortOrder;
  onSort: (key: SortKey) => void;
  /** Selects or clears every row on this page. */
  onSelectPage: (on: boolean) => void;
}) {
  const list = useVmList();
  const now = useNow();
  const allSelected = () => props.vms.length > 0 && props.vms.every((vm) => list.isSelected(vm.name));
  const heading = (key: SortKey, label: string) => <SortHeading key={key} label={label} sort={props.sort} onSort={props.onSort} />;
  return (
    <div class="table-wrap">
      <table class="vm-table" classList={{ "image-table": props.images }}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="select-cell">
              <input
                type="checkbox"
                checked={allSelected()}
                aria-label={`Select every row on this page of ${props.caption}`}
                title="Select this page"
                data-testid="select-page"
                onChange={(e) => props.onSelectPage(e.currentTarget.checked)}
              />
            </th>
            {heading("name", props.images ? "Image" : "Name")}
            <Show when={props.images} fallback={<>{heading("status", "Status")}<th scope="col">IP</th>{heading("cpu", "CPU")}{heading("memory", "Memory")}</>}>
              <th scope="col">Tag</th>
              <th scope="col">Digest</th>
            </Show>
            {heading("disk", "Disk")}
            {heading("size_on_disk", "On disk")}
            <Show when={!props.images}>
              <th scope="col">OS</th>
            </Show>
            {heading("accessed", "Last used")}
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.vms}>
            {(vm) => {
              const ref = () => parseImageRef(vm.name, vm.digest);
              return (
                <tr data-testid={`vm-row-${vm.name}`} data-vm-name={vm.name} classList={{ selected: list.isSelected(vm.name) }}>
                  <td class="select-cell">
                    <input
                      type="checkbox"
                      checked={list.isSelected(vm.name)}
                      aria-label={`Select ${vm.name}`}
                      title={`Select ${vm.name}`}
                      data-testid="select-row"
                      onChange={(e) => list.toggleSelected(vm.name, e.currentTarget.checked)}
                    />
                  </td>
                  <th scope="row" class="vm-name" title={vm.name}>
                    {props.images ? ref().repository : vm.name}
                  </th>
                  <Show
                    when={props.images}
                    fallback={
                      <>
                        <td class="status-cell" data-label="Status">
                          <StatusBadge vm={vm} busy={list.busyLabel(vm)} />
                        </td>
                        <td class="mono" data-label="IP" data-testid="vm-ip">{vm.ip_address ?? "—"}</td>
                        <td data-label="CPU" data-testid="vm-cpu">{formatCpu(vm.cpu)}</td>
                        <td data-label="Memory" data-testid="vm-memory">{formatMemory(vm.memory)}</td>
                      </>
                    }
                  >
                    <td class="mono" data-label="Tag" data-testid="image-tag">{ref().tag ?? "—"}</td>
                    <td class="mono" data-label="Digest" title={ref().digest ?? undefined}>{shortDigest(ref().digest)}</td>
                  </Show>
                  <td data-label="Disk" data-testid="vm-disk">{formatDisk(vm.disk_size)}</td>
                  <td data-label="On disk">{formatSizeOnDisk(vm.size_on_disk)}</td>
                  <Show when={!props.images}>
                    <td data-label="OS" data-testid="vm-os">{osLabel(vm.os)}</td>
                  </Show>
                  <td data-label="Last used" title={vm.accessed ?? undefined}>{formatRelative(vm.accessed, now())}</td>
                  <td class="actions-cell">
                    <Show when={props.images && list.busyLabel(vm)}>
                      <StatusBadge vm={vm} busy={list.busyLabel(vm)} />
                    </Show>
                    <VmActions vm={vm} compact />
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}
