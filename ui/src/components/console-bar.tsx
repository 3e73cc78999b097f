/**
 * The top bar of the console and shell pages: back to the VMs, the VM's name, its state and IP
 * (live from the inventory; for a cluster VM, its cluster), an optional extra fact, then the
 * page's own status and tools.
 */
import { Show, type JSX } from "solid-js";
import { useInventory } from "../context/inventory.tsx";

export function ConsoleBar(props: { name: string; cluster?: string; extra?: string | null; children: JSX.Element }) {
  const inventory = useInventory();
  const vm = () => inventory.state.vms.find((v) => v.name === props.name) ?? null;
  return (
    <header class="console-bar">
      <a class="button small" href={props.cluster ? "/clusters" : "/"} title="Back to the VMs" aria-label="Back to the VMs">
        ←
      </a>
      <strong class="console-name">{props.name}</strong>
      <span class="console-facts" data-testid="console-vm-facts">
        <Show when={props.cluster} fallback={<>{vm()?.state ?? vm()?.status ?? "unknown"}<Show when={vm()?.ip_address}>{(ip) => <span class="mono"> · {ip()}</span>}</Show></>}>
          {(cluster) => <>on cluster {cluster()}</>}
        </Show>
        <Show when={props.extra}>{(extra) => <span> · {extra()}</span>}</Show>
      </span>
      {props.children}
    </header>
  );
}
