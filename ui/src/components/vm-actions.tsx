/**
 * The action buttons of one VM, shared by the card and the table row. The main actions carry
 * words; secondary ones are icons with an accessible name and a tooltip, to keep cards short.
 * Which buttons are enabled, and why not, comes from the pure `actionReasons`: a disabled button
 * shows the reason as its tooltip and accessible description. What a button does is the page's
 * `onAction` (through the list context), so the page owns dialogs and requests. Copy and VNC
 * need an address and appear only when there is one; VNC only for macOS guests, which run
 * Screen Sharing. Copying works offline: the VM may well still be running.
 *
 * The lifecycle: a suspended VM offers Resume (and Stop, which discards its saved state); a
 * running macOS VM started suspendable offers Suspend; a stopped macOS VM can also be started
 * suspendable. A stop that has run for a few seconds turns Stop into Force stop.
 */
import { Show } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useNow } from "../context/clock.tsx";
import { useVmList } from "../context/vm-list.tsx";
import { actionReasons, stopLingers } from "../lib/vm-actions.ts";
import { connectInfo, isMacOs } from "../lib/vm-labels.ts";
import { isOci } from "../stores/vms.ts";
import { Icon, type IconName } from "./icons.tsx";
import { consolePath } from "../lib/console-routes.ts";

export type VmActionKind =
  | "start"
  | "start-suspendable"
  | "start-console"
  | "stop"
  | "force-stop"
  | "suspend"
  | "delete"
  | "clone"
  | "create"
  | "config"
  | "rename"
  | "settings"
  | "run-options"
  | "copy-ip"
  | "copy-ssh";

export function ActionButton(props: {
  kind: VmActionKind;
  icon: IconName;
  label: string;
  vmName: string;
  /** Why it is disabled; null or undefined: enabled. */
  reason?: string | null;
  compact?: boolean;
  danger?: boolean;
  onAction: (kind: VmActionKind) => void;
}) {
  return (
    <button
      type="button"
      class="button small"
      classList={{ danger: props.danger, "icon-only": props.compact }}
      disabled={!!props.reason}
      aria-label={`${props.label} ${props.vmName}`}
      aria-description={props.reason ?? undefined}
      title={props.reason ? `${props.label}: ${props.reason}` : props.label}
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

export function VmActions(props: { vm: Vm; compact?: boolean; /** false where a Connect section shows them. */ connectButtons?: boolean }) {
  const list = useVmList();
  const now = useNow();
  const why = () => actionReasons(props.vm, list.block(), list.busyLabel(props.vm));
  const oci = () => isOci(props.vm);
  const suspended = () => props.vm.state === "suspended";
  const running = () => props.vm.status === "running" || props.vm.state === "running";
  const lingering = () => stopLingers(list.busyTask(props.vm), now());
  const connect = () => connectInfo(props.vm);
  const common = () => ({ vmName: props.vm.name, compact: props.compact, onAction: (kind: VmActionKind) => list.onAction(props.vm, kind) });
  return (
    <div class="vm-actions" role="group" aria-label={`Actions for ${props.vm.name}`}>
      <Show when={!oci()}>
        <Show when={suspended()}>
          <ActionButton kind="start" icon="play" label="Resume" reason={why().start} {...common()} />
          <ActionButton kind="stop" icon="stop" label="Discard the saved state of" reason={why().stop} {...common()} compact />
        </Show>
        <Show when={running()}>
          <Show when={lingering()} fallback={<ActionButton kind="stop" icon="stop" label="Stop" reason={why().stop} {...common()} />}>
            <ActionButton kind="force-stop" icon="zap" label="Force stop" danger reason={why().forceStop} {...common()} />
          </Show>
          <Show when={isMacOs(props.vm) && props.vm.suspendable === true}>
            <ActionButton kind="suspend" icon="pause" label="Suspend" reason={why().suspend} {...common()} />
          </Show>
          <a class="button small" href={consolePath(props.vm.name)} target="_blank" data-testid="vm-action-console" aria-label={`Open the console of ${props.vm.name}`} title="The VM's screen, in the browser">
            <Icon name="monitor" />
            <Show when={!props.compact}>
              <span>Console</span>
            </Show>
          </a>
          <a class="button small icon-only" href={consolePath(props.vm.name, "shell")} target="_blank" data-testid="vm-action-shell" aria-label={`Open a shell on ${props.vm.name}`} title="A shell in the guest (tart exec)">
            <Icon name="terminal" />
          </a>
        </Show>
        <Show when={!suspended() && !running()}>
          <ActionButton kind="start" icon="play" label="Start" reason={why().start} {...common()} />
          <ActionButton kind="start-console" icon="monitor" label="Start with console" reason={why().start} {...common()} compact />
          <Show when={isMacOs(props.vm)}>
            <ActionButton kind="start-suspendable" icon="play-pause" label="Start suspendable" reason={why().start} {...common()} compact />
          </Show>
        </Show>
      </Show>
      <Show when={oci()}>
        <ActionButton kind="create" icon="plus" label="Create VM" reason={why().create} {...common()} />
      </Show>
      <ActionButton kind="clone" icon="clone" label="Clone" reason={why().clone} {...common()} />
      <Show when={!oci()}>
        <ActionButton kind="config" icon="info" label="Config" reason={why().config} {...common()} compact />
        <ActionButton kind="settings" icon="sliders" label="Settings" reason={why().settings} {...common()} compact />
        <ActionButton kind="rename" icon="edit" label="Rename" reason={why().rename} {...common()} compact />
        <ActionButton kind="run-options" icon="folder" label="Run options" reason={why().runOptions} {...common()} compact />
      </Show>
      <Show when={props.connectButtons !== false && connect()}>
        {(c) => (
          <>
            <ActionButton kind="copy-ip" icon="copy" label="Copy IP" {...common()} compact />
            <ActionButton kind="copy-ssh" icon="key" label="Copy ssh command" {...common()} compact />
            <Show when={c().vnc}>
              {(vnc) => (
                <a
                  class="button small icon-only"
                  href={vnc()}
                  aria-label={`Open Screen Sharing for ${props.vm.name}`}
                  title="Open in Screen Sharing (vnc://)"
                  data-testid="vm-action-vnc"
                >
                  <Icon name="cast" />
                </a>
              )}
            </Show>
          </>
        )}
      </Show>
      <span class="push" />
      <ActionButton kind="delete" icon="trash" label={oci() ? "Delete image" : "Delete"} danger reason={why().delete} {...common()} compact />
    </div>
  );
}
