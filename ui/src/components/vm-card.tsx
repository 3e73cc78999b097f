/** One VM as a card: name, status, the facts a user looks for (IP first), and its actions. */
import { Show } from "solid-js";
import type { Vm } from "../api/types.ts";
import { formatCpu, formatDisk, formatMemory, formatSizeOnDisk } from "../lib/format.ts";
import { StatusBadge } from "./status-badge.tsx";
import { VmActions, type VmActionKind } from "./vm-actions.tsx";

export function VmCard(props: { vm: Vm; tartAvailable: boolean; onAction: (vm: Vm, kind: VmActionKind) => void }) {
  return (
    <article class="vm-card" data-testid={`vm-card-${props.vm.name}`} data-vm-name={props.vm.name} aria-label={props.vm.name}>
      <header class="vm-card-header">
        <h3 class="vm-name" title={props.vm.name}>
          {props.vm.name}
        </h3>
        <StatusBadge vm={props.vm} />
      </header>
      <dl class="facts">
        <div>
          <dt>IP</dt>
          <dd data-testid="vm-ip" class="mono">{props.vm.ip_address ?? "—"}</dd>
        </div>
        <div>
          <dt>CPU</dt>
          <dd data-testid="vm-cpu">{formatCpu(props.vm.cpu)}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd data-testid="vm-memory">{formatMemory(props.vm.memory)}</dd>
        </div>
        <div>
          <dt>Disk</dt>
          <dd data-testid="vm-disk">{formatDisk(props.vm.disk_size)}</dd>
        </div>
        <div>
          <dt>OS</dt>
          <dd>{props.vm.os ?? "—"}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{props.vm.source ?? "—"}</dd>
        </div>
        <Show when={props.vm.size_on_disk != null}>
          <div>
            <dt>On disk</dt>
            <dd>{formatSizeOnDisk(props.vm.size_on_disk)}</dd>
          </div>
        </Show>
      </dl>
      <VmActions vm={props.vm} tartAvailable={props.tartAvailable} onAction={(kind) => props.onAction(props.vm, kind)} />
    </article>
  );
}
