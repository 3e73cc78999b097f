/**
 * The RFB (VNC) handshake, both halves, for the vnc-experimental console:
 *  - upstream, as a client of tart's VNC server: version 3.8, security type 2 (VNC auth), the
 *    16-byte challenge encrypted with DES-ECB under the password's first 8 bytes (zero-padded,
 *    each byte bit-reversed: RFB's quirk; every client and server truncates to 8 characters);
 *  - downstream, as the server the browser sees: version 3.8, one security type, None, and a
 *    SecurityResult of 0. So the password never leaves this process.
 * From the browser's ClientInit on, bytes are copied unchanged (console-relay.ts).
 */
import { createCipheriv } from "node:crypto";

export const RFB_VERSION = "RFB 003.008\n";
const SECURITY_NONE = 1;
const SECURITY_VNC_AUTH = 2;

/** Reads exactly `n` bytes from the upstream connection. */
export type ReadExactly = (n: number) => Promise<Uint8Array>;

export class RfbAuthError extends Error {}

/** DES key of a VNC password: first 8 bytes, zero-padded, each byte's bits mirrored. */
function vncKey(password: string): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, "latin1").copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) {
    let b = key[i]!;
    let r = 0;
    for (let bit = 0; bit < 8; bit++) r |= ((b >> bit) & 1) << (7 - bit);
    key[i] = r;
  }
  return key;
}

export function vncAuthResponse(challenge: Uint8Array, password: string): Buffer {
  const cipher = createCipheriv("des-ecb", vncKey(password), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

const u32 = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);

/**
 * Logs in to tart's VNC server. Resolves when it has accepted the password (the next bytes it
 * expects are the ClientInit, which the browser will send); throws an RfbAuthError otherwise.
 */
export async function authenticateUpstream(read: ReadExactly, write: (bytes: Uint8Array) => void, password: string): Promise<void> {
  const version = new TextDecoder().decode(await read(12));
  if (!/^RFB \d{3}\.\d{3}\n$/.test(version)) throw new RfbAuthError("the VNC server did not speak RFB");
  if (version < "RFB 003.007") throw new RfbAuthError(`the VNC server speaks ${version.trim()}, too old`);
  write(new TextEncoder().encode(RFB_VERSION));
  const count = (await read(1))[0]!;
  if (count === 0) {
    const length = u32(await read(4));
    throw new RfbAuthError(`the VNC server refused: ${new TextDecoder().decode(await read(length))}`);
  }
  const types = await read(count);
  if (!types.includes(SECURITY_VNC_AUTH)) throw new RfbAuthError(`the VNC server offers no VNC password auth (types ${[...types].join(", ")})`);
  write(Uint8Array.of(SECURITY_VNC_AUTH));
  const challenge = await read(16);
  write(vncAuthResponse(challenge, password));
  const result = u32(await read(4));
  if (result !== 0) {
    // 3.8 servers give a reason; any failure is the same to us.
    throw new RfbAuthError("the VNC server refused the password");
  }
}

/** What the browser is told first, as if this process were the VNC server. */
export const downstreamGreeting = (): Uint8Array => new TextEncoder().encode(RFB_VERSION);

/**
 * Follows the browser through its half: its 12-byte version, then its choice of the one
 * security type offered (None). Returns the bytes to send at each step; throws on a client that
 * does not play along.
 */
export class DownstreamHandshake {
  private step: "version" | "security" | "done" = "version";
  private buffered: Uint8Array = new Uint8Array(0);

  get done(): boolean {
    return this.step === "done";
  }

  /** Feeds browser bytes; returns [bytes to answer, bytes left over for the relay]. */
  feed(chunk: Uint8Array): { reply: Uint8Array[]; rest: Uint8Array } {
    this.buffered = concat(this.buffered, chunk);
    const reply: Uint8Array[] = [];
    if (this.step === "version" && this.buffered.length >= 12) {
      const version = new TextDecoder().decode(this.buffered.subarray(0, 12));
      if (version !== RFB_VERSION) throw new RfbAuthError("the viewer does not speak RFB 3.8");
      this.buffered = this.buffered.subarray(12);
      reply.push(Uint8Array.of(1, SECURITY_NONE));
      this.step = "security";
    }
    if (this.step === "security" && this.buffered.length >= 1) {
      if (this.buffered[0] !== SECURITY_NONE) throw new RfbAuthError("the viewer chose a security type that was not offered");
      this.buffered = this.buffered.subarray(1);
      reply.push(Uint8Array.of(0, 0, 0, 0)); // SecurityResult: OK
      this.step = "done";
    }
    const rest = this.step === "done" ? this.buffered : new Uint8Array(0);
    if (this.step === "done") this.buffered = new Uint8Array(0);
    return { reply, rest };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
