// Back-pressure through the console proxy, against a real VNC server: a viewer that keeps asking
// for full-screen updates (3 MiB each, raw) but stops reading must make the proxy stop
// reading from the VNC server (its TCP receive queue fills: `ss` shows it) while the server's
// memory stays flat; when the viewer reads again, the stream carries on. Also: closing the
// viewer's connection closes the proxy's TCP connection to the VNC server.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
const VM = "vm-0004";

beforeAll(async () => {
  server = await startServer({ seed: { local: 4, running: 0 } });
  await server.post("/api/vms/refresh");
  const started = await server.waitTask((await server.startTask(`/api/vms/${VM}/start`, { console: true })).id, 30_000);
  expect(started.result.console).toBe("ready");
}, 40_000);
afterAll(stopAll);

const vncPort = () => JSON.parse(readFileSync(join(server.tartHome, "vms", VM, "fake-vnc.json"), "utf8")).port as number;

/** A client frame: binary, masked as RFC 6455 requires. */
function frame(payload: Uint8Array): Buffer {
  const mask = crypto.getRandomValues(new Uint8Array(4));
  const head = payload.length < 126 ? Buffer.from([0x82, 0x80 | payload.length]) : Buffer.from([0x82, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([head, mask, body]);
}

/** The proxy's connections to the VNC server, with their receive queues (bytes it has not read). */
function upstreamQueues(port: number): number[] {
  const ss = Bun.spawnSync(["ss", "-tnH", "state", "established", `( dport = :${port} )`]).stdout.toString();
  return ss.trim().split("\n").filter(Boolean).map((line) => Number(line.trim().split(/\s+/)[0]));
}

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);

async function openRaw(): Promise<{ socket: Socket; received: () => number }> {
  const { ws_url } = await (await server.post(`/api/vms/${VM}/console`)).json();
  const socket = connect({ host: "127.0.0.1", port: server.port });
  await new Promise((resolve) => socket.once("connect", resolve));
  let received = 0;
  let upgraded = false;
  socket.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (!upgraded && chunk.toString("latin1").startsWith("HTTP/1.1 101")) upgraded = true;
  });
  socket.write(
    [`GET ${ws_url} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, `Origin: ${server.base}`, "Connection: Upgrade", "Upgrade: websocket",
      "Sec-WebSocket-Version: 13", `Sec-WebSocket-Key: ${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64")}`, "", ""].join("\r\n"),
  );
  for (let i = 0; i < 100 && !upgraded; i++) await Bun.sleep(20);
  expect(upgraded).toBe(true);
  return { socket, received: () => received };
}

test("a viewer that stops reading pauses the VNC side; memory stays flat; reading again resumes", async () => {
  const { socket, received } = await openRaw();
  // RFB: version, security None, ClientInit, then 300 non-incremental full-screen update requests.
  const fbur = Uint8Array.of(3, 0, 0, 0, 0, 0, 1024 >> 8, 0, 768 >> 8, 0);
  socket.write(frame(new TextEncoder().encode("RFB 003.008\n")));
  socket.write(frame(Uint8Array.of(1)));
  socket.write(frame(Uint8Array.of(1)));
  await Bun.sleep(300);
  socket.pause(); // stop reading: the kernel buffers fill, then the server's websocket buffer
  // A VNC server merges pending requests, so keep asking while the viewer does not read.
  const asking = setInterval(() => socket.write(frame(fbur)), 20);
  await Bun.sleep(1500);
  const before = rssKiB(server.proc.pid);
  const queued: number[] = [];
  for (let i = 0; i < 5; i++) {
    await Bun.sleep(400);
    queued.push(...upstreamQueues(vncPort()));
  }
  const after = rssKiB(server.proc.pid);
  // The proxy no longer reads from the VNC server: bytes wait in its socket's receive queue.
  expect(Math.max(...queued)).toBeGreaterThan(64 * 1024);
  // ~175 requests of 3 MiB each were made meanwhile; what the server holds stays within its buffers.
  expect(after - before).toBeLessThan(48 * 1024);
  const receivedWhilePaused = received();
  socket.resume();
  for (let i = 0; i < 100 && received() < receivedWhilePaused + 20 * 1024 * 1024; i++) await Bun.sleep(50);
  expect(received()).toBeGreaterThan(receivedWhilePaused + 20 * 1024 * 1024);
  clearInterval(asking);
  socket.destroy();
}, 30_000);

test("closing the viewer closes the proxy's TCP connection to the VNC server", async () => {
  for (let i = 0; i < 50 && upstreamQueues(vncPort()).length; i++) await Bun.sleep(100);
  const { socket } = await openRaw();
  socket.write(frame(new TextEncoder().encode("RFB 003.008\n")));
  socket.write(frame(Uint8Array.of(1)));
  socket.write(frame(Uint8Array.of(1)));
  for (let i = 0; i < 50 && upstreamQueues(vncPort()).length === 0; i++) await Bun.sleep(50);
  expect(upstreamQueues(vncPort()).length).toBe(1);
  socket.destroy();
  for (let i = 0; i < 50 && upstreamQueues(vncPort()).length; i++) await Bun.sleep(50);
  expect(upstreamQueues(vncPort())).toEqual([]);
}, 20_000);
