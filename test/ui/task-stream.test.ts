// The task websocket: messages reach the store, a drop before the end reconnects with backoff,
// the normal close after the final task does not, and closing stops everything.
import { describe, expect, test } from "bun:test";
import { backoffDelay, openTaskStream, parseTaskMessage, type SocketLike } from "../../ui/src/api/task-stream.ts";
import type { Task } from "../../ui/src/api/types.ts";
import type { StreamState } from "../../ui/src/stores/tasks.ts";

class FakeSocket implements SocketLike {
  onopen: SocketLike["onopen"] = null;
  onmessage: SocketLike["onmessage"] = null;
  onclose: SocketLike["onclose"] = null;
  onerror: SocketLike["onerror"] = null;
  closedWith: number | null = null;
  constructor(readonly url: string) {}
  close(code?: number) {
    this.closedWith = code ?? 1000;
  }
  send(task: Partial<Task>) {
    this.onmessage?.({ data: JSON.stringify({ id: "t1", logs: [], ...task }) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
}

function harness(maxAttempts = 12) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const tasks: Task[] = [];
  const states: StreamState[] = [];
  const gaveUp: string[] = [];
  const stream = openTaskStream({
    url: "ws://x/ws/tasks/t1?token=k&mode=delta",
    onTask: (t) => tasks.push(t),
    onState: (s) => states.push(s),
    onGiveUp: (r) => gaveUp.push(r),
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
    random: () => 0.5,
    maxAttempts,
  });
  return { sockets, timers, tasks, states, gaveUp, stream };
}

test("backoff grows and is capped", () => {
  const mid = () => 0.5;
  expect([0, 1, 2, 3].map((a) => backoffDelay(a, mid))).toEqual([500, 1000, 2000, 4000]);
  expect(backoffDelay(20, mid)).toBe(15000);
  expect(backoffDelay(0, () => 0)).toBe(400);
  expect(backoffDelay(0, () => 1)).toBe(600);
});

test("parseTaskMessage ignores junk", () => {
  expect(parseTaskMessage("not json")).toBeNull();
  expect(parseTaskMessage(JSON.stringify({ hello: 1 }))).toBeNull();
  expect(parseTaskMessage(new ArrayBuffer(2))).toBeNull();
  expect(parseTaskMessage(JSON.stringify({ id: "a", status: "running" }))?.logs).toEqual([]);
});

describe("openTaskStream", () => {
  test("delivers messages and ends quietly after the final task", () => {
    const h = harness();
    h.sockets[0]!.onopen?.({});
    h.sockets[0]!.send({ status: "running", logs: ["a"], log_offset: 0 });
    h.sockets[0]!.send({ status: "completed", logs: ["b"], log_offset: 1 });
    h.sockets[0]!.drop(1000);
    expect(h.tasks.map((t) => t.status)).toEqual(["running", "completed"]);
    expect(h.states).toEqual(["connecting", "live", "closed"]);
    expect(h.timers).toHaveLength(0);
  });
  test("reconnects with backoff when dropped before the end", () => {
    const h = harness();
    h.sockets[0]!.send({ status: "running" });
    h.sockets[0]!.drop(1006);
    expect(h.states.at(-1)).toBe("reconnecting");
    expect(h.timers[0]!.ms).toBe(500);
    h.timers[0]!.fn();
    expect(h.sockets).toHaveLength(2);
    h.sockets[1]!.drop(1006);
    expect(h.timers[1]!.ms).toBe(1000); // nothing arrived on socket 2: back off further
    h.timers[1]!.fn();
    h.sockets[2]!.send({ status: "running" }); // data flowed again: the backoff starts afresh
    h.sockets[2]!.drop(1006);
    expect(h.timers[2]!.ms).toBe(500);
  });
  test("even a normal close before the final task reconnects (server restart)", () => {
    const h = harness();
    h.sockets[0]!.send({ status: "running" });
    h.sockets[0]!.drop(1001);
    expect(h.timers).toHaveLength(1);
  });
  test("an auth refusal gives up", () => {
    const h = harness();
    h.sockets[0]!.drop(1008);
    expect(h.states.at(-1)).toBe("failed");
    expect(h.gaveUp).toHaveLength(1);
    expect(h.timers).toHaveLength(0);
  });
  test("gives up after maxAttempts silent drops", () => {
    const h = harness(2);
    h.sockets[0]!.drop();
    h.timers[0]!.fn();
    h.sockets[1]!.drop();
    h.timers[1]!.fn();
    h.sockets[2]!.drop();
    expect(h.gaveUp).toEqual(["the task stream kept dropping"]);
  });
  test("close() closes the socket and cancels a pending reconnect", () => {
    const h = harness();
    h.stream.close();
    expect(h.sockets[0]!.closedWith).toBe(1000);
    const h2 = harness();
    h2.sockets[0]!.drop();
    h2.stream.close();
    h2.timers[0]!.fn(); // the timer fired anyway: nothing may happen
    expect(h2.sockets).toHaveLength(1);
  });
});
