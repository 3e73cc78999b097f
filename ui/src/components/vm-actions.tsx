/**
 * The action buttons of one VM, shared by the card and the table row. The main actions carry
 * words; secondary ones are icons with an accessible name and a tooltip, to keep cards short. Which buttons are enabled
 * comes from the pure `vmActions`; what they do is the caller's `onAction`, so the page owns
 * dialogs and requests. Copy and VNC need an IP and appear only when there is one.
 */
import { Show } from "solid-js";
import type { Vm } from "../api/types.ts";
import { vncUrl } from "../lib/format.ts";
import { vmActions } from "../lib/vm-actions.ts";
import { isOci } from "../stores/vms.ts";
import { Icon, type IconName } from "./icons.tsx";

export type VmActionKind = "start" | "stop" | "delete" | "clone" | "create" | "config" | "copy-ip" | "copy-ssh";

function ActionButton(props: {
  kind: VmActionKind;
  icon: IconName;
  label: string;
  vmName: string;
  enabled: boolean;
  compact?: boolean;
  danger?: boolean;
  onAction: (kind: VmActionKind) => void;
}) {
  return (
    <button
      type="button"
      class="button small"
      classList={{ danger: props.danger, "icon-only": props.compact }}
      disabled={!props.enabled}
      aria-label={`${props.label} ${props.vmName}`}
      title={props.label}
      data-testid={`vm-action-${props.kind}`}
      onClick={() => props.onAction(props.kind)}
    >
      <Icon name={props.icon} />
      <Show when={!props.compact}>
        <span>{props.label}</span>
      </Show>
    </button>
  );
}

export function VmActions(props: {
  vm: Vm;
  tartAvailable: boolean;
  compact?: boolean;
  onAction: (kind: VmActionKind) => void;
}) {
  const can = () => vmActions(props.vm, props.tartAvailable);
  const oci = () => isOci(props.vm);
  const common = () => ({ vmName: props.vm.name, compact: props.compact, onAction: props.onAction });
  return (
    <div class="vm-actions" role="group" aria-label={`Actions for ${props.vm.name}`}>
      <Show when={!oci()}>
        <Show
          when={props.vm.status === "running" || props.vm.state === "suspended"}
          fallback={<ActionButton kind="start" icon="play" label="Start" enabled={can().start} {...common()} />}
        >
          <ActionButton kind="stop" icon="stop" label="Stop" enabled={can().stop} {...common()} />
        </Show>
      </Show>
      <Show when={oci()}>
        <ActionButton kind="create" icon="plus" label="Create VM" enabled={can().create} {...common()} />
      </Show>
      <ActionButton kind="clone" icon="clone" label="Clone" enabled={can().clone} {...common()} />
      <ActionButton kind="config" icon="info" label="Config" enabled={can().config} {...common()} compact />
      <Show when={can().connect}>
        <ActionButton kind="copy-ip" icon="copy" label="Copy IP" enabled {...common()} compact />
        <ActionButton kind="copy-ssh" icon="terminal" label="Copy ssh command" enabled {...common()} compact />
        <a
          class="button small icon-only"
          href={vncUrl(props.vm.ip_address ?? "")}
          aria-label={`Open VNC for ${props.vm.name}`}
          title="Open in Screen Sharing (vnc://)"
          data-testid="vm-action-vnc"
        >
          <Icon name="monitor" />
        </a>
      </Show>
      <span class="push" />
      <ActionButton kind="delete" icon="trash" label="Delete" danger enabled={can().delete} {...common()} compact />
    </div>
  );
}
