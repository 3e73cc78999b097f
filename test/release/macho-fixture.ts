/**
 * A small but complete signed Mach-O, built here byte by byte after Apple's cs_blobs.h, for the
 * parts of a signature that bun's linker-made ad-hoc signature does not have: special slots
 * (a requirements blob whose hash sits before the page hashes), SHA-1 alternates, odd page
 * sizes. Written independently of src/release/macho-signature.ts, which it tests.
 */
import { createHash } from "node:crypto";

export interface FixtureOptions {
  codeBytes?: number;
  pageShift?: number;
  hashType?: 1 | 2;
  withRequirements?: boolean;
}

export function signedMachO(options: FixtureOptions = {}): Uint8Array {
  const codeBytes = options.codeBytes ?? 3 * 4096 + 100;
  const pageShift = options.pageShift ?? 12;
  const hashType = options.hashType ?? 2;
  const hashSize = hashType === 1 ? 20 : 32;
  const hash = (bytes: Uint8Array) => new Uint8Array(createHash(hashType === 1 ? "sha1" : "sha256").update(bytes).digest());

  const code = new Uint8Array(codeBytes);
  for (let i = 48; i < codeBytes; i++) code[i] = (i * 7 + 3) & 0xff;
  const header = new DataView(code.buffer);
  header.setUint32(0, 0xfeedfacf, true);
  header.setUint32(4, 0x0100000c, true); // arm64
  header.setUint32(12, 2, true); // MH_EXECUTE
  header.setUint32(16, 1, true); // one load command
  header.setUint32(20, 16, true);
  header.setUint32(32, 0x1d, true); // LC_CODE_SIGNATURE
  header.setUint32(36, 16, true);
  header.setUint32(40, codeBytes, true); // dataoff: the signature follows the code

  const requirements = new Uint8Array(12);
  new DataView(requirements.buffer).setUint32(0, 0xfade0c01, false);
  new DataView(requirements.buffer).setUint32(4, 12, false);
  const special = options.withRequirements ? 2 : 0;
  const pageSize = 2 ** pageShift;
  const slots = Math.ceil(codeBytes / pageSize);
  const identifier = new TextEncoder().encode("fixture\0");
  const hashOffset = 44 + identifier.length + special * hashSize;
  const cd = new Uint8Array(hashOffset + slots * hashSize);
  const entries = special ? 2 : 1;
  const superBlob = new Uint8Array(12 + entries * 8 + cd.length + (special ? requirements.length : 0));
  header.setUint32(44, superBlob.length, true); // datasize: before the first page is hashed
  const v = new DataView(cd.buffer);
  v.setUint32(0, 0xfade0c02, false);
  v.setUint32(4, cd.length, false);
  v.setUint32(8, 0x20001, false);
  v.setUint32(12, 0x2, false); // adhoc
  v.setUint32(16, hashOffset, false);
  v.setUint32(20, 44, false);
  v.setUint32(24, special, false);
  v.setUint32(28, slots, false);
  v.setUint32(32, codeBytes, false);
  v.setUint8(36, hashSize);
  v.setUint8(37, hashType);
  v.setUint8(39, pageShift);
  cd.set(identifier, 44);
  if (special) cd.set(hash(requirements), hashOffset - 2 * hashSize);
  for (let page = 0; page < slots; page++) {
    cd.set(hash(code.subarray(page * pageSize, Math.min((page + 1) * pageSize, codeBytes))), hashOffset + page * hashSize);
  }
  const s = new DataView(superBlob.buffer);
  s.setUint32(0, 0xfade0cc0, false);
  s.setUint32(4, superBlob.length, false);
  s.setUint32(8, entries, false);
  s.setUint32(12, 0, false);
  s.setUint32(16, 12 + entries * 8, false);
  superBlob.set(cd, 12 + entries * 8);
  if (special) {
    s.setUint32(20, 2, false);
    s.setUint32(24, 12 + entries * 8 + cd.length, false);
    superBlob.set(requirements, 12 + entries * 8 + cd.length);
  }
  const file = new Uint8Array(codeBytes + superBlob.length);
  file.set(code);
  file.set(superBlob, codeBytes);
  return file;
}
