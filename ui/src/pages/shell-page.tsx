/**
 * A terminal on the guest (xterm.js) over the shell websocket: keystrokes go as binary frames,
 * the terminal's size as `{"type":"resize"}` text frames, and the server runs `tart exec -i -t`.
 * Where the guest has no agent, the ticket's 409 says so and the page shows the ssh command.
 * With `cluster` it is an Orchard cluster VM's shell: the same socket protocol, the server
 * going through the controller's exec instead of tart.
 */
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { ApiError, errorDetail } from "../api/client.ts";
import { useInventory } from "../context/inventory.tsx";
import { useSession } from "../context/session.tsx";
import { ConsoleBar } from "../components/console-bar.tsx";
import { copyText } from "../lib/browser.ts";
import { socketUrl } from "../lib/console-routes.ts";
import { sshCommand } from "../lib/format.ts";
import { CLOSE_EXPLAINED } from "../../../src/ws/console-close-codes.ts";

export function ShellPage(props: { name: string; cluster?: string }) {
  const session = useSession();
  const inventory = useInventory();
  // A local VM's, for its ssh hint; a cluster VM is not in this inventory.
  const vm = () => (props.cluster ? null : (inventory.state.vms.find((v) => v.name === props.name) ?? null));
  const [status, setStatus] = createSignal("Connecting…");
  const [refused, setRefused] = createSignal<string | null>(null);
  let box!: HTMLDivElement;
  let socket: WebSocket | null = null;
  const terminal = new Terminal({ cursorBlink: true, fontSize: 14, convertEol: false });
  const fitAddon = new FitAddon();
  terminal.loadAddon(fitAddon);
  const encoder = new TextEncoder();

  async function connect() {
    socket?.close();
    setRefused(null);
    setStatus("Connecting…");
    const api = session.api();
    if (!api) return;
    let ticket;
    try {
      ticket = props.cluster ? await api.clusterShellTicket(props.cluster, props.name) : await api.shellTicket(props.name);
    } catch (err) {
      setStatus("No shell");
      return setRefused(err instanceof ApiError ? err.detail : errorDetail(err));
    }
    const ws = new WebSocket(`${socketUrl(ticket.ws_url, window.location.origin)}&cols=${terminal.cols}&rows=${terminal.rows}`);
    ws.binaryType = "arraybuffer";
    socket = ws;
    ws.onopen = () => {
      setStatus(`Connected (${ticket.shell})`);
      terminal.focus();
    };
    ws.onmessage = (event) => terminal.write(new Uint8Array(event.data as ArrayBuffer));
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      setStatus(event.code === 4005 ? `The shell ended (${event.reason})` : (CLOSE_EXPLAINED[event.code] ?? `Closed (${event.code})`));
    };
  }

  terminal.onData((data) => socket?.readyState === WebSocket.OPEN && socket.send(encoder.encode(data)));
  terminal.onResize(({ cols, rows }) => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ type: "resize", cols, rows })));
  const refit = () => fitAddon.fit();

  onMount(() => {
    terminal.open(box);
    refit();
    window.addEventListener("resize", refit);
    void connect();
  });
  onCleanup(() => {
    window.removeEventListener("resize", refit);
    socket?.close();
    terminal.dispose();
  });

  const ssh = () => (vm()?.ip_address ? sshCommand(vm()!.ip_address!) : null);
  return (
    <div class="console-page" data-testid="shell-page">
      <ConsoleBar name={props.name} cluster={props.cluster}>
        <span class="console-status" data-testid="shell-status" role="status">
          {status()}
        </span>
        <div class="console-tools">
          <button type="button" class="button small" data-testid="shell-reconnect" onClick={() => void connect()}>
            Reconnect
          </button>
        </div>
      </ConsoleBar>
      <Show when={refused()}>
        {(why) => (
          <div class="console-form" data-testid="shell-refused" role="alert">
            <span>{why()}</span>
            <Show when={ssh()}>
              {(command) => (
                <button type="button" class="button small" onClick={() => void copyText(command())}>
                  Copy <span class="mono">{command()}</span>
                </button>
              )}
            </Show>
          </div>
        )}
      </Show>
      <div class="shell-frame" ref={box} data-testid="shell-terminal" />
    </div>
  );
}
