/** VMs as a table: denser than cards, for long inventories. Rows are keyed by VM object identity. */
import { For } from "solid-js";
import type { Vm } from "../api/types.ts";
import { formatCpu, formatDisk, formatMemory } from "../lib/format.ts";
import { StatusBadge } from "./status-badge.tsx";
import { VmActions, type VmActionKind } from "./vm-actions.tsx";

export function VmTable(props: {
  vms: Vm[];
  caption: string;
  tartAvailable: boolean;
  onAction: (vm: Vm, kind: VmActionKind) => void;
}) {
  return (
    <div class="table-wrap">
      <table class="vm-table">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">IP</th>
            <th scope="col">CPU</th>
            <th scope="col">Memory</th>
            <th scope="col">Disk</th>
            <th scope="col">OS</th>
            <th scope="col">Source</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.vms}>
            {(vm) => (
              <tr data-testid={`vm-row-${vm.name}`} data-vm-name={vm.name}>
                <th scope="row" class="vm-name" title={vm.name}>
                  {vm.name}
                </th>
                <td>
                  <StatusBadge vm={vm} />
                </td>
                <td class="mono" data-testid="vm-ip">{vm.ip_address ?? "—"}</td>
                <td data-testid="vm-cpu">{formatCpu(vm.cpu)}</td>
                <td data-testid="vm-memory">{formatMemory(vm.memory)}</td>
                <td data-testid="vm-disk">{formatDisk(vm.disk_size)}</td>
                <td>{vm.os ?? "—"}</td>
                <td>{vm.source ?? "—"}</td>
                <td>
                  <VmActions vm={vm} compact tartAvailable={props.tartAvailable} onAction={(kind) => props.onAction(vm, kind)} />
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
