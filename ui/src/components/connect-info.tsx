/**
 * How to reach a running VM, in words: its address, the ssh command with the default password of
 * Cirrus Labs images, and Screen Sharing for macOS guests (Linux guests run no VNC server). The
 * copy buttons sit next to what they copy.
 */
import { Show } from "solid-js";
import type { ConnectInfo } from "../lib/vm-labels.ts";
import { Icon } from "./icons.tsx";
import { ActionButton, type VmActionKind } from "./vm-actions.tsx";

export function ConnectSection(props: { info: ConnectInfo; vmName: string; onAction: (kind: VmActionKind) => void }) {
  return (
    <section class="connect" aria-label={`Connect to ${props.vmName}`} data-testid="vm-connect">
      <h4 class="connect-title">Connect</h4>
      <dl class="connect-list">
        <div>
          <dt>IP</dt>
          <dd>
            <span class="mono" data-testid="connect-ip">{props.info.ip}</span>
            <ActionButton kind="copy-ip" icon="copy" label="Copy IP" vmName={props.vmName} compact onAction={props.onAction} />
          </dd>
        </div>
        <div>
          <dt>SSH</dt>
          <dd>
            <code data-testid="connect-ssh">{props.info.ssh}</code>
            <ActionButton kind="copy-ssh" icon="copy" label="Copy ssh command" vmName={props.vmName} compact onAction={props.onAction} />
            <span class="hint">default password admin on Cirrus Labs images</span>
          </dd>
        </div>
        <div>
          <dt>Screen</dt>
          <dd>
            <Show when={props.info.vnc} fallback={<span class="muted" data-testid="connect-no-vnc">none: Linux guests run no Screen Sharing</span>}>
              {(vnc) => (
                <a href={vnc()} class="mono" title="Open in Screen Sharing" data-testid="vm-action-vnc">
                  <Icon name="cast" /> {vnc()}
                </a>
              )}
            </Show>
          </dd>
        </div>
      </dl>
    </section>
  );
}
