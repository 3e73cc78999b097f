/**
 * The UI's side of `/ws/events`: one socket for every change. It remembers the id of the last
 * event and, after a drop, comes back with `since=` that id, so the server replays what was
 * missed; when the server answers `hello` (a first connection) or `resync` (too far behind, or a
 * restarted server) the caller loads the whole state again. While the socket is down the caller
 * polls (`onLive(false)`); reconnects back off like the task stream's. Socket and timers are
 * injected so this is tested without a browser.
 */
import { backoffDelay, closeQuietly, socketEnvironment, type SocketEnvironment, type SocketLike } from "./task-stream.ts";

export type ServerEventType = "vm.added" | "vm.changed" | "vm.removed" | "task.created" | "task.updated" | "task.finished" | "health";

export interface ServerEvent {
  id: number;
  type: ServerEventType;
  at: number;
  data: unknown;
}

export interface EventStreamOptions extends SocketEnvironment {
  /** The socket URL, with `since` when there is an id to go on from. */
  url: (since: number | null) => string;
  onEvent: (event: ServerEvent) => void;
  /** Load everything again: the stream starts (`hello`) or cannot replay (`resync`). */
  onSync: (reason: "hello" | "resync") => void;
  /** Up (events flow: stop polling) or down (poll until it is back). */
  onLive: (live: boolean) => void;
}

const TYPES = new Set<string>(["vm.added", "vm.changed", "vm.removed", "task.created", "task.updated", "task.finished", "health"]);

/** A frame as an event, a `hello`/`resync` control message, or null for anything else. */
export function parseEventFrame(data: unknown): ServerEvent | { type: "hello" | "resync"; id: number } | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as { type?: unknown; id?: unknown };
    if (typeof value?.id !== "number") return null;
    if (value.type === "hello" || value.type === "resync") return { type: value.type, id: value.id };
    if (typeof value.type === "string" && TYPES.has(value.type)) return value as ServerEvent;
  } catch {
    // A malformed frame is ignored; a resync or the next load corrects the view.
  }
  return null;
}

export function openEventStream(options: EventStreamOptions): { close: () => void } {
  const { createSocket, setTimer, clearTimer, random } = socketEnvironment(options);

  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let attempt = 0;
  let lastId: number | null = null;
  let stopped = false;
  let live = false;
  const setLive = (next: boolean) => {
    if (live === next) return;
    live = next;
    options.onLive(next);
  };

  const connect = () => {
    timer = null;
    if (stopped) return;
    const ws = createSocket(options.url(lastId));
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setLive(true);
    };
    ws.onmessage = (ev) => {
      const frame = parseEventFrame(ev.data);
      if (!frame) return;
      if (frame.type === "hello" || frame.type === "resync") {
        lastId = frame.id;
        options.onSync(frame.type);
        return;
      }
      const event = frame as ServerEvent;
      if (lastId !== null && event.id <= lastId) return; // already applied (a replay overlapping)
      lastId = event.id;
      options.onEvent(event);
    };
    ws.onerror = () => {
      // onclose always follows; reconnecting is decided there.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      setLive(false);
      if (stopped) return;
      timer = setTimer(connect, backoffDelay(attempt++, random));
    };
  };

  connect();

  return {
    close() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const ws = socket;
      socket = null;
      if (ws) closeQuietly(ws);
      setLive(false);
    },
  };
}

export function eventSocketUrl(origin: string, token: string, since: number | null): string {
  const url = new URL("/ws/events", origin);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("token", token);
  if (since !== null) url.searchParams.set("since", String(since));
  return url.toString();
}
