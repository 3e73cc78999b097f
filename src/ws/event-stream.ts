/**
 * GET /ws/events?token=…[&since=ID]: every change as it happens (events/event-log.ts), one JSON
 * message per event: `{"id", "type", "at", "data"}`. The guard has checked Host, Origin and token
 * before the upgrade (http/guard.ts), as for the task websocket.
 *
 * - Without `since`, the first message is `{"type": "hello", "id": N}`: load the state over the
 *   REST API, then apply the events that follow (they may repeat what the load saw; each event
 *   carries whole VMs and offset-tagged task deltas, so applying one twice changes nothing).
 * - With `since`, the events after that id are sent at once, then the live ones; when the ring
 *   no longer holds them (or the id is from before a restart) the answer is
 *   `{"type": "resync", "id": N}`: load everything again and go on from N.
 *
 * A client that reads too slowly is not buffered without bound: once its send buffer passes
 * HIGH_WATER its events are dropped and, when it has drained, it is sent a `resync`.
 */
import { Elysia, t } from "elysia";
import type { ServerWebSocket } from "bun";
import type { EventLog, StreamEvent } from "../events/event-log.ts";

const HIGH_WATER = 4 << 20;
const DRAIN_CHECK_MS = 200;

interface Client {
  unsubscribe: () => void;
  /** Dropping events until the buffer drains; then a resync. */
  behind: Timer | null;
}

export class EventStreams {
  private readonly clients = new Map<ServerWebSocket<unknown>, Client>();
  /** Each event is serialised once, however many clients it goes to. */
  private readonly texts = new WeakMap<StreamEvent, string>();

  constructor(
    private readonly log: EventLog,
    /** Brings the VM feed up to date before a `since` is answered (it coalesces changes). */
    private readonly flushFeeds: () => void = () => {},
  ) {}

  routes() {
    return new Elysia({ name: "event-stream" }).ws("/ws/events", {
      query: t.Object({ token: t.Optional(t.String()), since: t.Optional(t.String({ pattern: "^\\d{1,16}$" })) }),
      idleTimeout: 60,
      open: (ws) => {
        const since = ws.data.query.since;
        this.open(ws.raw as ServerWebSocket<unknown>, since === undefined ? null : Number(since));
      },
      close: (ws) => this.close(ws.raw as ServerWebSocket<unknown>),
    });
  }

  get count(): number {
    return this.clients.size;
  }

  /** Server shutdown: every client is told "going away" (1001). */
  closeAll(): void {
    for (const socket of [...this.clients.keys()]) {
      this.close(socket);
      socket.close(1001, "server shutting down");
    }
  }

  private open(socket: ServerWebSocket<unknown>, since: number | null): void {
    this.flushFeeds();
    const client: Client = { unsubscribe: () => {}, behind: null };
    this.clients.set(socket, client);
    if (since === null) {
      socket.send(JSON.stringify({ type: "hello", id: this.log.lastId }));
    } else {
      const missed = this.log.since(since);
      if (missed === null) socket.send(JSON.stringify({ type: "resync", id: this.log.lastId }));
      else for (const event of missed) this.send(socket, client, event);
    }
    client.unsubscribe = this.log.subscribe((event) => this.send(socket, client, event));
  }

  private send(socket: ServerWebSocket<unknown>, client: Client, event: StreamEvent): void {
    if (client.behind) return;
    if (socket.getBufferedAmount() > HIGH_WATER) {
      client.behind = setInterval(() => {
        if (socket.getBufferedAmount() > HIGH_WATER / 4) return;
        clearInterval(client.behind!);
        client.behind = null;
        socket.send(JSON.stringify({ type: "resync", id: this.log.lastId }));
      }, DRAIN_CHECK_MS);
      return;
    }
    let text = this.texts.get(event);
    if (text === undefined) this.texts.set(event, (text = JSON.stringify(event)));
    socket.send(text);
  }

  private close(socket: ServerWebSocket<unknown>): void {
    const client = this.clients.get(socket);
    if (!client) return;
    client.unsubscribe();
    if (client.behind) clearInterval(client.behind);
    this.clients.delete(socket);
  }
}
