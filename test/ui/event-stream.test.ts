// The UI's event stream: events reach the caller in order and once, a drop reconnects with
// since= the last id (and polling takes over meanwhile), hello/resync ask for a full load; and the
// VM store applies vm.added / vm.changed / vm.removed one VM at a time.
import { describe, expect, test } from "bun:test";
import { eventSocketUrl, openEventStream, parseEventFrame, type ServerEvent } from "../../ui/src/api/event-stream.ts";
import type { SocketLike } from "../../ui/src/api/task-stream.ts";
import type { Vm } from "../../ui/src/api/types.ts";
import { initialVmState, vmReducer } from "../../ui/src/stores/vms.ts";

class FakeSocket implements SocketLike {
  onopen: SocketLike["onopen"] = null;
  onmessage: SocketLike["onmessage"] = null;
  onclose: SocketLike["onclose"] = null;
  onerror: SocketLike["onerror"] = null;
  constructor(readonly url: string) {}
  close() {}
  send(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const events: ServerEvent[] = [];
  const syncs: string[] = [];
  const live: boolean[] = [];
  const stream = openEventStream({
    url: (since) => `ws://x/ws/events?token=k${since === null ? "" : `&since=${since}`}`,
    onEvent: (e) => events.push(e),
    onSync: (reason) => syncs.push(reason),
    onLive: (up) => live.push(up),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
    random: () => 0.5,
  });
  return { sockets, timers, events, syncs, live, stream };
}

const vm = (name: string, extra: Partial<Vm> = {}): Vm => ({ name, status: "stopped", ip_address: null, source: "local", os: "linux", cpu: 2, memory: "4G", disk_size: 50, display: null, ...extra }) as Vm;

describe("openEventStream", () => {
  test("hello asks for a load; events follow in order; a drop polls, then comes back with since", () => {
    const h = harness();
    h.sockets[0]!.onopen?.({});
    h.sockets[0]!.send({ type: "hello", id: 100 });
    h.sockets[0]!.send({ id: 101, type: "vm.added", at: 1, data: vm("a") });
    h.sockets[0]!.send({ id: 101, type: "vm.added", at: 1, data: vm("a") }); // a replay overlap: once only
    h.sockets[0]!.send({ id: 102, type: "vm.removed", at: 2, data: { name: "a" } });
    expect(h.syncs).toEqual(["hello"]);
    expect(h.events.map((e) => e.id)).toEqual([101, 102]);
    expect(h.live).toEqual([true]);

    h.sockets[0]!.onclose?.({ code: 1006 });
    expect(h.live).toEqual([true, false]);
    expect(h.timers).toHaveLength(1);
    h.timers[0]!.fn();
    expect(h.sockets[1]!.url).toBe("ws://x/ws/events?token=k&since=102");
    h.sockets[1]!.onopen?.({});
    h.sockets[1]!.send({ type: "resync", id: 500 });
    expect(h.syncs).toEqual(["hello", "resync"]);
    expect(h.live).toEqual([true, false, true]);
  });

  test("close stops reconnecting and reports down", () => {
    const h = harness();
    h.sockets[0]!.onopen?.({});
    h.stream.close();
    expect(h.live).toEqual([true, false]);
    expect(h.timers).toHaveLength(0);
  });

  test("junk frames are ignored", () => {
    expect(parseEventFrame("nope")).toBeNull();
    expect(parseEventFrame(JSON.stringify({ type: "vm.exploded", id: 1 }))).toBeNull();
    expect(parseEventFrame(JSON.stringify({ type: "vm.added" }))).toBeNull();
    expect(parseEventFrame(JSON.stringify({ type: "resync", id: 3 }))).toEqual({ type: "resync", id: 3 });
  });

  test("the URL carries the token and since only when there is one", () => {
    expect(eventSocketUrl("https://mac.local:8000", "t k", null)).toBe("wss://mac.local:8000/ws/events?token=t+k");
    expect(eventSocketUrl("http://127.0.0.1:8000", "k", 42)).toBe("ws://127.0.0.1:8000/ws/events?token=k&since=42");
  });
});

describe("VM events in the store", () => {
  test("added keeps the list sorted, changed replaces one VM, removed drops it; the ETag is forgotten", () => {
    let s = vmReducer(initialVmState(), { type: "loaded", vms: [vm("b"), vm("d")], at: 1, etag: "e1" });
    s = vmReducer(s, { type: "vmChanged", vm: vm("c"), at: 2 });
    expect(s.vms.map((v) => v.name)).toEqual(["b", "c", "d"]);
    expect(s.etag).toBeNull();
    const untouched = s.vms[0];
    s = vmReducer(s, { type: "vmChanged", vm: vm("c", { status: "running", ip_address: "192.168.64.9" }), at: 3 });
    expect(s.vms[1]).toMatchObject({ name: "c", status: "running", ip_address: "192.168.64.9" });
    expect(s.vms[0]).toBe(untouched);
    s = vmReducer(s, { type: "vmRemoved", name: "b", at: 4 });
    expect(s.vms.map((v) => v.name)).toEqual(["c", "d"]);
    expect(s.updatedAt).toBe(4);
  });
});
