// Websocket clients that stop reading while a task floods its log: the server's memory stays
// bounded, a healthy client alongside still gets every state through to the end, and a stalled
// client that resumes gets the final state and a normal close. (On loopback the kernel's socket
// buffers absorb this flood's few MB per client, so the server-side skip — no sends while a
// client has over 1 MB queued, ws/task-stream.ts — is not what this test isolates.)
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { collectSocket, startServer, stopAll } from "../support/server-process.ts";

const sockets: Socket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await stopAll();
});

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

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
function drainFrames(socket: Socket): Promise<{ frames: number; last: any }> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let frames = 0;
    let last: any = null;
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
        if (opcode === 0x8) return resolve({ frames, last });
      }
    });
    socket.resume();
  });
}

describe("slow websocket clients", () => {
  test("memory stays bounded; a live client sees the end; a stalled one recovers", async () => {
    const server = await startServer({ knobs: { flood_lines: 400_000 } });
    const task = await (await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/flood:latest" })).json();
    const path = `/ws/tasks/${task.id}?token=${server.token}`;
    const before = rssMb(server.proc.pid);
    const stalled: Socket[] = [];
    for (let i = 0; i < 10; i++) stalled.push(await stalledClient(server.port, path));
    const live = collectSocket(`${server.base.replace("http", "ws")}${path}`, 60_000);
    expect((await server.waitTask(task.id, 60_000)).status).toBe("completed");
    const { messages, code } = await live;
    expect(code).toBe(1000);
    expect(messages.at(-1).status).toBe("completed");
    expect(rssMb(server.proc.pid) - before).toBeLessThan(80);
    const drained = await drainFrames(stalled[0]!);
    expect(drained.frames).toBeGreaterThanOrEqual(2);
    expect(drained.last.status).toBe("completed");
    expect((await server.fetch("/api/health")).status).toBe(200);
  });
});
