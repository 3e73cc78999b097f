/**
 * One local VM as a card: name, status (or what is happening to it), the facts a user looks for
 * (IP first), how to connect when it runs, and its actions.
 */
import { Show } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useVmList } from "../context/vm-list.tsx";
import { formatCpu, formatDisk, formatMemory, formatSizeOnDisk } from "../lib/format.ts";
import { connectInfo, osLabel } from "../lib/vm-labels.ts";
import { ConnectSection } from "./connect-info.tsx";
import { StatusBadge } from "./status-badge.tsx";
import { VmActions } from "./vm-actions.tsx";

export function VmCard(props: { vm: Vm }) {
  const list = useVmList();
  const busy = () => list.busyLabel(props.vm);
  return (
    <article class="vm-card" classList={{ busy: !!busy() }} data-testid={`vm-card-${props.vm.name}`} data-vm-name={props.vm.name} aria-label={props.vm.name}>
      <header class="vm-card-header">
        <h3 class="vm-name" title={props.vm.name}>
          {props.vm.name}
        </h3>
        <StatusBadge vm={props.vm} busy={busy()} />
      </header>
      <dl class="facts">
        <div>
          <dt>IP</dt>
          <dd data-testid="vm-ip" class="mono">{props.vm.ip_address ?? "—"}</dd>
        </div>
        <div>
          <dt>OS</dt>
          <dd data-testid="vm-os">{osLabel(props.vm.os)}</dd>
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
        <Show when={props.vm.size_on_disk != null}>
          <div>
            <dt>On disk</dt>
            <dd>{formatSizeOnDisk(props.vm.size_on_disk)}</dd>
          </div>
        </Show>
      </dl>
      <Show when={connectInfo(props.vm)}>
        {(info) => <ConnectSection info={info()} vmName={props.vm.name} onAction={(kind) => list.onAction(props.vm, kind)} />}
      </Show>
      <VmActions vm={props.vm} connectButtons={false} />
    </article>
  );
}
