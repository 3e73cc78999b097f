// Websocket clients that stop reading while a task floods its log with big messages: the server
// skips intermediate states for them (no sends while a client has over 1 MB queued,
// ws/task-stream.ts), so a stalled client that resumes gets the final state and a normal close,
// and a live client alongside still gets every line.
//
// Why this volume: on loopback the kernel's socket buffers absorb several MB per client, and Bun
// itself queues up to 16 MB per websocket and then silently drops what is sent (the default
// `backpressureLimit`). Each stalled client here is offered ~40 MB (80,000 lines of ~500 bytes,
// each message a Task with up to 2,000 of them). Without the server-side skip, Bun's queue fills and
// the final Task is dropped (the stalled client's last frame says "running"), and every message the
// live client gets also reaches the stalled ones (no fewer frames). With the skip, a stalled client
// gets a few frames, then the final one.
import { afterAll, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { collectSocket, startServer, stopAll } from "../support/server-process.ts";

const sockets: Socket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await stopAll();
});

const FLOOD_LINES = 80_000;

/** Opens a websocket by hand, then stops reading (the kernel buffers fill, then the server's). */
function stalledClient(port: number, path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      );
    });
    socket.once("data", (head: Buffer) => {
      socket.pause();
      const text = head.toString("latin1");
      if (!text.startsWith("HTTP/1.1 101")) return reject(new Error(text));
      resolve(socket);
      socket.unshift(head.subarray(text.indexOf("\r\n\r\n") + 4));
    });
    socket.on("error", reject);
    sockets.push(socket);
  });
}

/** Resumes a stalled socket; counts the text frames until the close frame, keeps the last one. */
function drainFrames(socket: Socket): Promise<{ frames: number; last: any; code: number }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    let frames = 0;
    let last: any = null;
    const timer = setTimeout(() => reject(new Error(`no close frame after ${frames} frames; last ${last?.status}`)), 30_000);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0]! & 0x0f;
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) [length, offset] = [buffer.readUInt16BE(2), 4];
        else if (length === 127) [length, offset] = [Number(buffer.readBigUInt64BE(2)), 10];
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x1) {
          frames++;
          last = JSON.parse(payload.toString("utf8"));
        }
        if (opcode === 0x8) {
          clearTimeout(timer);
          return resolve({ frames, last, code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005 });
        }
      }
    });
    socket.resume();
  });
}

describe("slow websocket clients", () => {
  test("a stalled client is skipped, not queued: it gets fewer frames, then the final Task; a live one gets every line", async () => {
    // The fake waits 1.5 s before its flood, so every client is subscribed before the first line.
    const server = await startServer({ knobs: { flood_lines: FLOOD_LINES, flood_line_bytes: 500, latency_ms: { pull: 1500 } } });
    const task = await (await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/flood:latest" })).json();
    const path = `/ws/tasks/${task.id}?token=${server.token}`;
    const stalled: Socket[] = [];
    for (let i = 0; i < 4; i++) stalled.push(await stalledClient(server.port, path));
    const ws = server.base.replace("http", "ws");
    const live = collectSocket(`${ws}${path}`, 60_000);
    const liveDelta = collectSocket(`${ws}${path}&mode=delta`, 60_000);
    expect((await server.waitTask(task.id, 60_000)).status).toBe("completed");

    const full = await live;
    expect(full.code).toBe(1000);
    expect(full.messages.at(-1).status).toBe("completed");
    const delta = await liveDelta;
    expect(delta.code).toBe(1000);
    const lines = delta.messages.flatMap((message) => message.logs);
    expect(lines.filter((line: string) => /^\d+% \./.test(line)).length).toBe(FLOOD_LINES - 1);

    for (const socket of stalled) {
      const drained = await drainFrames(socket);
      expect(drained.last.status).toBe("completed");
      expect(drained.code).toBe(1000);
      expect(drained.frames).toBeLessThan(full.messages.length);
    }
    expect((await server.fetch("/api/health")).status).toBe(200);
  });
});
