/**
 * A minimal RFB client for tests and the console bench: over the app's console websocket (as
 * noVNC speaks it) or straight over TCP to a VNC server (with VNC password auth), far enough to
 * get the ServerInit, ask for framebuffer updates and read raw pixels. Also a raw HTTP upgrade,
 * to see the status a refused websocket upgrade gets (a WebSocket object only says "closed").
 */
import { createCipheriv } from "node:crypto";
import { connect } from "node:net";

/** Bytes from any stream, read exactly `n` at a time. */
export class ByteReader {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private waiter: { n: number; resolve: (b: Uint8Array) => void; reject: (e: Error) => void } | null = null;
  private ended: Error | null = null;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.satisfy();
  }

  end(error: Error): void {
    this.ended = error;
    this.satisfy();
  }

  read(n: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
      this.satisfy();
    });
  }

  private satisfy(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.size < w.n) {
      if (this.ended) {
        this.waiter = null;
        w.reject(this.ended);
      }
      return;
    }
    const all = Buffer.concat(this.chunks);
    this.chunks = [all.subarray(w.n)];
    this.size -= w.n;
    this.waiter = null;
    w.resolve(all.subarray(0, w.n));
  }
}

export interface ServerInit {
  width: number;
  height: number;
  name: string;
}

export interface RfbSession {
  init: ServerInit;
  read(n: number): Promise<Uint8Array>;
  write(bytes: Uint8Array): void;
  /** Non-incremental FramebufferUpdateRequest (the whole screen, or `region`); resolves with the pixel bytes (raw, 32 bpp) of the update. */
  fullUpdate(region?: { x: number; y: number; w: number; h: number }): Promise<{ bytes: number; pixelAt(x: number, y: number): [number, number, number] }>;
  close(): void;
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at);

function vncResponse(challenge: Uint8Array, password: string): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, "latin1").copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) key[i] = parseInt(key[i]!.toString(2).padStart(8, "0").split("").reverse().join(""), 2);
  const cipher = createCipheriv("des-ecb", key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

/** Version, security (None, or VNC auth with `password`), ClientInit, ServerInit, then raw encoding only. */
async function handshake(reader: ByteReader, write: (b: Uint8Array) => void, password: string | null): Promise<ServerInit> {
  const version = new TextDecoder().decode(await reader.read(12));
  if (!version.startsWith("RFB ")) throw new Error(`not RFB: ${JSON.stringify(version)}`);
  write(new TextEncoder().encode("RFB 003.008\n"));
  const count = (await reader.read(1))[0]!;
  const types = [...(await reader.read(count))];
  if (password === null) {
    if (!types.includes(1)) throw new Error(`security None not offered: ${types}`);
    write(Uint8Array.of(1));
  } else {
    if (!types.includes(2)) throw new Error(`VNC auth not offered: ${types}`);
    write(Uint8Array.of(2));
    write(vncResponse(await reader.read(16), password));
  }
  const result = u32(await reader.read(4), 0);
  if (result !== 0) throw new Error(`security result ${result}`);
  write(Uint8Array.of(1)); // ClientInit: shared
  const head = await reader.read(24);
  const name = new TextDecoder().decode(await reader.read(u32(head, 20)));
  // SetPixelFormat: 32 bpp, depth 24, little-endian, true colour, r/g/b at 16/8/0.
  write(Uint8Array.of(0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0));
  write(Uint8Array.of(2, 0, 0, 1, 0, 0, 0, 0)); // SetEncodings: raw only
  return { width: u16(head, 0), height: u16(head, 2), name };
}

function session(reader: ByteReader, write: (b: Uint8Array) => void, init: ServerInit, close: () => void): RfbSession {
  return {
    init,
    read: (n) => reader.read(n),
    write,
    close,
    async fullUpdate(region = { x: 0, y: 0, w: init.width, h: init.height }) {
      const { width, height } = init;
      const { x: rx, y: ry, w: rw, h: rh } = region;
      write(Uint8Array.of(3, 0, rx >> 8, rx & 255, ry >> 8, ry & 255, rw >> 8, rw & 255, rh >> 8, rh & 255));
      const screen = new Uint8Array(width * height * 4);
      let bytes = 0;
      for (;;) {
        const type = (await reader.read(1))[0]!;
        if (type === 2) continue; // bell
        if (type === 3) {
          const head = await reader.read(7);
          await reader.read(u32(head, 3));
          continue;
        }
        if (type !== 0) throw new Error(`unexpected server message ${type}`);
        const rects = u16(await reader.read(3), 1);
        for (let i = 0; i < rects; i++) {
          const r = await reader.read(12);
          const [x, y, w, h, enc] = [u16(r, 0), u16(r, 2), u16(r, 4), u16(r, 6), u32(r, 8)];
          if (enc !== 0) throw new Error(`encoding ${enc}, asked for raw only`);
          const px = await reader.read(w * h * 4);
          bytes += px.length;
          for (let row = 0; row < h; row++) screen.set(px.subarray(row * w * 4, (row + 1) * w * 4), ((y + row) * width + x) * 4);
        }
        return {
          bytes,
          pixelAt(px, py) {
            const at = (py * width + px) * 4;
            return [screen[at + 2]!, screen[at + 1]!, screen[at]!];
          },
        };
      }
    },
  };
}

/** Over the console websocket; the page's Origin is sent as a browser would. `password`: log in through the relay (Screen Sharing mode). */
export async function rfbOverWebSocket(url: string, origin: string, password: string | null = null): Promise<RfbSession & { socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const reader = new ByteReader();
  const socket = new WebSocket(url, { headers: { Origin: origin } } as any);
  socket.binaryType = "arraybuffer";
  socket.onmessage = (event) => reader.push(new Uint8Array(event.data as ArrayBuffer));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.onclose = (event) => {
      reader.end(new Error(`socket closed ${event.code} ${event.reason}`));
      resolve({ code: event.code, reason: event.reason });
    };
  });
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error("websocket failed to open"));
  });
  const write = (b: Uint8Array) => socket.send(b);
  const init = await handshake(reader, write, password);
  return { ...session(reader, write, init, () => socket.close()), socket, closed };
}

/** Straight to a VNC server over TCP, logging in with its password. */
export async function rfbOverTcp(host: string, port: number, password: string): Promise<RfbSession> {
  const reader = new ByteReader();
  const socket = connect({ host, port });
  socket.on("data", (chunk: Buffer) => reader.push(new Uint8Array(chunk)));
  socket.on("close", () => reader.end(new Error("tcp closed")));
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const write = (b: Uint8Array) => void socket.write(b);
  const init = await handshake(reader, write, password);
  return session(reader, write, init, () => socket.destroy());
}

/** A websocket upgrade by hand: the status line and body the server answers with. */
export function rawUpgrade(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let text = "";
    const lines = [
      `GET ${path} HTTP/1.1`,
      ...Object.entries({
        Host: `127.0.0.1:${port}`,
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64"),
        ...headers,
      })
        .filter(([, value]) => value !== "")
        .map(([key, value]) => `${key}: ${value}`),
      "",
      "",
    ];
    socket.on("data", (chunk) => {
      text += chunk.toString();
      if (/\r\n\r\n/.test(text)) {
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0);
        if (status === 101 || /\r\n\r\n[\s\S]*\}/.test(text) || status === 0) {
          socket.destroy();
          resolve({ status, text });
        }
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), text }));
    socket.write(lines.join("\r\n"));
  });
}
