/**
 * The VM's screen in the browser (noVNC, bundled): a one-time ticket from the API, then our own
 * WebSocket handed to noVNC, so that the close code can be explained (noVNC's `disconnect` only
 * says clean or not). The toolbar: fit / 1:1, fullscreen, pop-out into its own window,
 * reconnect, send keys (the combinations a browser keeps for itself), type the clipboard as
 * keystrokes, a screenshot; the VM's state and IP beside it. In Screen Sharing mode (macOS
 * guests started the usual way) noVNC asks for the guest's login, which can be remembered.
 * With `cluster` it is an Orchard cluster VM's console (always Screen Sharing, through the
 * controller's port-forward); its login is not remembered, as the server keeps logins per local VM.
 */
import RFB from "@novnc/novnc";
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { errorDetail, type ConsoleTicket } from "../api/client.ts";
import { ConsoleBar } from "../components/console-bar.tsx";
import { useSession } from "../context/session.tsx";
import { useToasts } from "../context/toasts.tsx";
import { KEY_COMBOS, keysymsOf, type KeyCombo } from "../lib/console-keys.ts";
import { clusterConsolePath, consolePath, socketUrl } from "../lib/console-routes.ts";
import { CLOSE_EXPLAINED } from "../../../src/ws/console-close-codes.ts";

type Status = { kind: "connecting" | "connected" | "login" | "closed" | "error"; text: string };

export function ConsolePage(props: { name: string; cluster?: string }) {
  const session = useSession();
  const toasts = useToasts();
  const [status, setStatus] = createSignal<Status>({ kind: "connecting", text: "Connecting…" });
  const [fit, setFit] = createSignal(true);
  const [mode, setMode] = createSignal<ConsoleTicket["mode"] | null>(null);
  const [menu, setMenu] = createSignal(false);
  const [typing, setTyping] = createSignal(false);
  let frame!: HTMLDivElement;
  let screen!: HTMLDivElement;
  let rfb: RFB | null = null;

  const disconnect = () => {
    const old = rfb;
    rfb = null;
    old?.disconnect();
  };

  async function connect() {
    disconnect();
    setStatus({ kind: "connecting", text: "Connecting…" });
    const api = session.api();
    if (!api) return;
    let ticket: ConsoleTicket;
    try {
      ticket = props.cluster ? await api.clusterConsoleTicket(props.cluster, props.name) : await api.consoleTicket(props.name);
    } catch (err) {
      return setStatus({ kind: "error", text: errorDetail(err) });
    }
    setMode(ticket.mode);
    const socket = new WebSocket(socketUrl(ticket.ws_url, window.location.origin));
    socket.binaryType = "arraybuffer";
    let closedWith: CloseEvent | null = null;
    socket.addEventListener("close", (event) => (closedWith = event)); // before noVNC's own listener
    const client = new RFB(screen, socket, { shared: true, ...(ticket.credentials ? { credentials: ticket.credentials } : {}) });
    rfb = client;
    client.scaleViewport = fit();
    client.background = "#111";
    client.addEventListener("connect", () => {
      setStatus({ kind: "connected", text: "Connected" });
      client.focus();
    });
    client.addEventListener("disconnect", () => {
      if (rfb !== client) return; // replaced by our own reconnect
      rfb = null;
      const event = closedWith as CloseEvent | null;
      const code = event?.code ?? 1006;
      const why = CLOSE_EXPLAINED[code] ?? `Closed (${code}).`;
      setStatus({ kind: "closed", text: `${why}${event?.reason && !why.includes(event.reason) ? ` (${event.reason})` : ""}` });
    });
    client.addEventListener("credentialsrequired", () => setStatus({ kind: "login", text: "The guest asks for its login" }));
    client.addEventListener("securityfailure", (event) => {
      const reason = (event as CustomEvent<{ reason?: string }>).detail?.reason;
      setStatus({ kind: "error", text: `Login refused by the guest${reason ? `: ${reason}` : ""}` });
    });
  }

  const toggleFit = () => {
    setFit(!fit());
    if (rfb) rfb.scaleViewport = fit();
  };
  const fullscreen = () => void frame.requestFullscreen?.().catch(() => undefined);
  const popOut = () => {
    const path = props.cluster ? clusterConsolePath(props.cluster, props.name) : consolePath(props.name);
    window.open(path, `console-${props.cluster ?? ""}-${props.name}`, "popup,width=1100,height=860");
    disconnect();
    setStatus({ kind: "closed", text: "Opened in its own window." });
  };
  const sendCombo = (combo: KeyCombo) => {
    setMenu(false);
    if (!rfb) return;
    for (const key of combo.keys) rfb.sendKey(key, null, true);
    for (const key of [...combo.keys].reverse()) rfb.sendKey(key, null, false);
    rfb.focus();
  };
  const typeText = (text: string) => {
    if (!rfb) return;
    for (const key of keysymsOf(text)) rfb.sendKey(key, null); // down and up
    rfb.focus();
  };
  const typeClipboard = async () => {
    try {
      const text = await navigator.clipboard.readText();
      typeText(text);
    } catch {
      setTyping(true); // no clipboard access (not a secure context, or refused): paste it here instead
    }
  };
  const screenshot = () =>
    rfb?.toBlob((blob) => {
      if (!blob) return;
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `${props.name}-${new Date().toISOString().replace(/[:.]/g, "-")}.png`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }, "image/png");

  onMount(() => void connect());
  onCleanup(disconnect);

  const connected = () => status().kind === "connected" || status().kind === "login";
  return (
    <div class="console-page" data-testid="console-page">
      <ConsoleBar name={props.name} cluster={props.cluster} extra={mode() === null ? null : mode() === "screen-sharing" ? "Screen Sharing" : "tart VNC"}>
        <span class="console-status" data-testid="console-status" data-kind={status().kind} role="status">
          {status().text}
        </span>
        <div class="console-tools" role="toolbar" aria-label="Console">
          <button type="button" class="button small" data-testid="console-fit" aria-pressed={fit()} title={fit() ? "Scaled to the window: click for 1:1" : "1:1: click to fit the window"} onClick={toggleFit}>
            {fit() ? "Fit ✓" : "1:1 ✓"}
          </button>
          <button type="button" class="button small" data-testid="console-fullscreen" onClick={fullscreen}>
            Fullscreen
          </button>
          <button type="button" class="button small" data-testid="console-popout" onClick={popOut}>
            Pop out
          </button>
          <button type="button" class="button small" data-testid="console-reconnect" onClick={() => void connect()}>
            Reconnect
          </button>
          <div class="console-menu">
            <button type="button" class="button small" data-testid="console-keys" aria-expanded={menu()} disabled={!connected()} onClick={() => setMenu(!menu())}>
              Send keys
            </button>
            <Show when={menu()}>
              <ul class="console-menu-list" role="menu" onKeyDown={(e) => e.key === "Escape" && setMenu(false)}>
                <For each={KEY_COMBOS}>
                  {(combo) => (
                    <li role="none">
                      <button type="button" role="menuitem" data-testid={`console-key-${combo.id}`} onClick={() => sendCombo(combo)}>
                        {combo.label}
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
          <button type="button" class="button small" data-testid="console-type-clipboard" disabled={!connected()} onClick={() => void typeClipboard()}>
            Type clipboard
          </button>
          <button type="button" class="button small" data-testid="console-screenshot" disabled={!connected()} onClick={screenshot}>
            Screenshot
          </button>
        </div>
      </ConsoleBar>
      <Show when={typing()}>
        <TypeForm onType={(text) => (typeText(text), setTyping(false))} onCancel={() => setTyping(false)} />
      </Show>
      <Show when={status().kind === "login" && mode() === "screen-sharing"}>
        <LoginForm
          name={props.name}
          canRemember={!props.cluster}
          onLogin={(login, remember) => {
            rfb?.sendCredentials(login);
            const api = session.api();
            if (remember && api) {
              void api.rememberScreenSharingLogin(props.name, login).catch((err) => toasts.show("error", `The login was not remembered: ${errorDetail(err)}`));
            }
          }}
        />
      </Show>
      <div class="console-frame" ref={frame}>
        <div class="console-screen" ref={screen} data-testid="console-screen" />
      </div>
      <p class="console-note">
        noVNC (MPL-2.0: <a href="https://github.com/novnc/noVNC">source</a>, <a href="/licenses.txt">licence</a>).{" "}
        {props.cluster ? `Relayed through the Orchard controller of ${props.cluster} (port-forward to the guest's port 5900).` : "tart's VNC server may listen on every network interface of the Mac."}
      </p>
    </div>
  );
}

/** Where the clipboard cannot be read: the text is pasted here, then typed as keystrokes. */
function TypeForm(props: { onType: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = createSignal("");
  return (
    <form class="console-form" data-testid="console-type-form" onSubmit={(e) => (e.preventDefault(), props.onType(text()))}>
      <label>
        Text to type into the VM <input type="password" autocomplete="off" value={text()} onInput={(e) => setText(e.currentTarget.value)} onKeyDown={(e) => e.key === "Escape" && props.onCancel()} />
      </label>
      <button type="submit" class="button small">Type it</button>
      <button type="button" class="button small" onClick={props.onCancel}>Cancel</button>
    </form>
  );
}

/** The macOS guest's own login (Apple's ARD auth, done by noVNC in the browser). */
function LoginForm(props: { name: string; canRemember: boolean; onLogin: (login: { username: string; password: string }, remember: boolean) => void }) {
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [remember, setRemember] = createSignal(false);
  return (
    <form class="console-form" data-testid="console-login" onSubmit={(e) => (e.preventDefault(), props.onLogin({ username: username(), password: password() }, remember()))}>
      <label>
        User <input value={username()} autocomplete="username" onInput={(e) => setUsername(e.currentTarget.value)} />
      </label>
      <label>
        Password <input type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <Show when={props.canRemember}>
        <label class="check">
          <input type="checkbox" checked={remember()} onChange={(e) => setRemember(e.currentTarget.checked)} /> Remember for {props.name}
        </label>
      </Show>
      <button type="submit" class="button small primary">Log in</button>
      <button type="button" class="button small" title="The login of Cirrus Labs images" onClick={() => (setUsername("admin"), setPassword("admin"))}>
        Use admin / admin
      </button>
    </form>
  );
}
