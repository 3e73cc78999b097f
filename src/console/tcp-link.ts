/**
 * One TCP connection to a VNC server, in two phases: first read exactly so many bytes at a time
 * (the handshake), then relay: every chunk goes to a sink that says whether it can take more,
 * and reading pauses until `resume()` when it cannot. Writes keep their order: what the kernel
 * does not take at once is queued and flushed on `drain` (Bun's socket.write may write less).
 */
import type { Socket } from "bun";
import type { ConsoleUpstream, RelaySink } from "./console-upstream.ts";

export class TcpLink implements ConsoleUpstream {
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;
  private waiter: { n: number; resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void } | null = null;
  private sink: RelaySink | null = null;
  private writeQueue: Uint8Array[] = [];
  private queuedBytes = 0;
  private ended: "end" | "error" | null = null;
  private pausedReads = false;

  private constructor(private socket: Socket<undefined>) {}

  static connect(hostname: string, port: number, timeoutMs: number): Promise<TcpLink> {
    return new Promise((resolve, reject) => {
      let link: TcpLink | null = null;
      const timer = setTimeout(() => reject(new Error(`no answer from ${hostname}:${port}`)), timeoutMs);
      Bun.connect({
        hostname,
        port,
        socket: {
          open(socket) {
            clearTimeout(timer);
            link = new TcpLink(socket as Socket<undefined>);
            resolve(link);
          },
          data(_socket, chunk) {
            link?.received(chunk);
          },
          drain() {
            link?.flush();
          },
          end() {
            link?.finish("end");
          },
          close() {
            link?.finish("end");
          },
          error() {
            link?.finish("error");
          },
          connectError(_socket, error) {
            clearTimeout(timer);
            reject(error);
          },
        },
      }).catch((error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Handshake phase: exactly n bytes, or a rejection when the connection ends first. */
  read(n: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
      this.satisfy();
    });
  }

  /** Relay phase: bytes already read past the handshake go to the sink first. */
  relayTo(sink: RelaySink): void {
    this.sink = sink;
    const pending = this.buffered;
    this.buffered = [];
    this.bufferedBytes = 0;
    for (const chunk of pending) this.deliver(chunk);
    if (this.ended) sink.closed(this.ended);
  }

  write(bytes: Uint8Array): void {
    if (this.ended) return;
    if (this.writeQueue.length) {
      this.writeQueue.push(bytes);
      this.queuedBytes += bytes.length;
      return;
    }
    const written = this.socket.write(bytes);
    if (written < bytes.length) {
      const rest = bytes.subarray(Math.max(0, written));
      this.writeQueue.push(rest);
      this.queuedBytes += rest.length;
    }
  }

  /** Bytes given to write() that the kernel has not taken yet. */
  get pendingWrite(): number {
    return this.queuedBytes;
  }

  resume(): void {
    if (!this.pausedReads) return;
    this.pausedReads = false;
    this.socket.resume();
  }

  end(): void {
    this.socket.end();
  }

  /**
   * The relay hands `chunk` on at once (the websocket's send copies it); only bytes kept for
   * later are copied, because the socket may reuse the buffer it reads into.
   */
  private received(chunk: Uint8Array): void {
    if (this.sink) return this.deliver(chunk);
    chunk = new Uint8Array(chunk);
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    this.satisfy();
  }

  private deliver(chunk: Uint8Array): void {
    if (!this.sink!.data(chunk) && !this.pausedReads) {
      this.pausedReads = true;
      this.socket.pause();
    }
  }

  private satisfy(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    if (this.bufferedBytes < waiter.n) {
      if (this.ended) {
        this.waiter = null;
        waiter.reject(new Error("the VNC server closed the connection"));
      }
      return;
    }
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.slice(0, waiter.n);
    const rest = all.subarray(waiter.n);
    this.buffered = rest.length ? [rest] : [];
    this.bufferedBytes = rest.length;
    this.waiter = null;
    waiter.resolve(out);
  }

  private flush(): void {
    while (this.writeQueue.length) {
      const next = this.writeQueue[0]!;
      const written = this.socket.write(next);
      if (written >= next.length) {
        this.writeQueue.shift();
        this.queuedBytes -= next.length;
        continue;
      }
      if (written > 0) {
        this.writeQueue[0] = next.subarray(written);
        this.queuedBytes -= written;
      }
      return;
    }
  }

  private finish(how: "end" | "error"): void {
    if (this.ended) return;
    this.ended = how;
    this.satisfy();
    this.sink?.closed(how);
  }
}
