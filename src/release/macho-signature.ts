/**
 * Checks a Mach-O executable's code signature the way the kernel does before Apple Silicon runs
 * it: every page of the file up to the signature must hash to the value the CodeDirectory holds
 * for it. A binary whose bytes were changed after it was signed (some `bun build --compile`
 * versions did exactly that) is killed at launch with no message, so a release is checked here.
 *
 * The layout (Apple's cs_blobs.h; big-endian inside the signature, little-endian in the Mach-O
 * header of an arm64 file): the load command LC_CODE_SIGNATURE gives the signature's offset and
 * size; the signature is a SuperBlob (0xfade0cc0) indexing blobs; the CodeDirectory (0xfade0c02,
 * slot 0, and alternates from slot 0x1000) gives the hash type, the page size (log2), the code
 * limit, the page hashes and, in negative "special" slots, the hashes of the other blobs (the
 * requirements, the entitlements). A universal (fat) file is checked slice by slice.
 */
import { createHash } from "node:crypto";

export class SignatureError extends Error {}

export interface SignedSlice {
  cpu: string;
  identifier: string;
  /** How many CodeDirectories were checked (SHA-1 and SHA-256 ones may both be there). */
  codeDirectories: number;
  pages: number;
  pageSize: number;
  hash: string;
}

const MH_MAGIC_64 = 0xfeedfacf;
const FAT_MAGIC = 0xcafebabe;
const LC_CODE_SIGNATURE = 0x1d;
const SUPERBLOB = 0xfade0cc0;
const CODE_DIRECTORY = 0xfade0c02;
const CD_SLOT = 0;
const ALTERNATE_CD_FIRST = 0x1000;
const HASHES: Record<number, { name: string; size: number }> = {
  1: { name: "sha1", size: 20 },
  2: { name: "sha256", size: 32 },
  3: { name: "sha256", size: 20 }, // SHA-256, truncated
  4: { name: "sha384", size: 48 },
};
const CPUS: Record<number, string> = { 0x0100000c: "arm64", 0x01000007: "x86_64" };

/** Verifies every slice; returns what was checked, or throws SignatureError saying what is wrong. */
export function verifyMachOSignature(file: Uint8Array): SignedSlice[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.byteLength < 32) throw new SignatureError("not a Mach-O file: too short");
  if (view.getUint32(0, false) === FAT_MAGIC) {
    const count = view.getUint32(4, false);
    const slices: SignedSlice[] = [];
    for (let i = 0; i < count; i++) {
      const at = 8 + i * 20;
      const offset = view.getUint32(at + 8, false);
      const size = view.getUint32(at + 12, false);
      if (offset + size > file.byteLength) throw new SignatureError(`fat slice ${i} runs past the end of the file`);
      slices.push(verifySlice(file.subarray(offset, offset + size)));
    }
    return slices;
  }
  return [verifySlice(file)];
}

function verifySlice(file: Uint8Array): SignedSlice {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0, true) !== MH_MAGIC_64) throw new SignatureError("not a 64-bit little-endian Mach-O file");
  const cpu = CPUS[view.getUint32(4, true)] ?? `cpu 0x${view.getUint32(4, true).toString(16)}`;
  const signature = findSignature(view);
  if (signature.offset + signature.size > file.byteLength) throw new SignatureError("the code signature runs past the end of the file");
  const blob = file.subarray(signature.offset, signature.offset + signature.size);
  const blobView = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blobView.getUint32(0, false) !== SUPERBLOB) throw new SignatureError("the code signature is not a SuperBlob (bad magic)");
  const blobs = new Map<number, Uint8Array>();
  const count = blobView.getUint32(8, false);
  for (let i = 0; i < count; i++) {
    const type = blobView.getUint32(12 + i * 8, false);
    const offset = blobView.getUint32(16 + i * 8, false);
    if (offset + 8 > blob.byteLength) throw new SignatureError(`signature blob ${i} lies outside the signature`);
    const length = blobView.getUint32(offset + 4, false);
    blobs.set(type, blob.subarray(offset, offset + length));
  }
  const directories = [...blobs.entries()].filter(([type]) => type === CD_SLOT || (type >= ALTERNATE_CD_FIRST && type < ALTERNATE_CD_FIRST + 5));
  if (!directories.length) throw new SignatureError("the code signature has no CodeDirectory");
  let checked: Omit<SignedSlice, "cpu" | "codeDirectories"> | null = null;
  for (const [, directory] of directories) {
    const result = verifyCodeDirectory(file, signature.offset, directory, blobs);
    checked ??= result;
  }
  return { cpu, codeDirectories: directories.length, ...checked! };
}

function findSignature(view: DataView): { offset: number; size: number } {
  const commands = view.getUint32(16, true);
  let at = 32;
  for (let i = 0; i < commands; i++) {
    const cmd = view.getUint32(at, true);
    const size = view.getUint32(at + 4, true);
    if (cmd === LC_CODE_SIGNATURE) return { offset: view.getUint32(at + 8, true), size: view.getUint32(at + 12, true) };
    if (size < 8) throw new SignatureError(`load command ${i} is malformed`);
    at += size;
  }
  throw new SignatureError("the binary is not signed (no LC_CODE_SIGNATURE load command)");
}

function verifyCodeDirectory(file: Uint8Array, signatureOffset: number, cd: Uint8Array, blobs: Map<number, Uint8Array>) {
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  if (view.getUint32(0, false) !== CODE_DIRECTORY) throw new SignatureError("a CodeDirectory has a bad magic number");
  const version = view.getUint32(8, false);
  const hashOffset = view.getUint32(16, false);
  const identOffset = view.getUint32(20, false);
  const specialSlots = view.getUint32(24, false);
  const codeSlots = view.getUint32(28, false);
  let codeLimit = view.getUint32(32, false);
  const hashSize = view.getUint8(36);
  const hashType = view.getUint8(37);
  const pageShift = view.getUint8(39);
  if (version >= 0x20300 && cd.byteLength >= 64) {
    const limit64 = Number(view.getBigUint64(56, false));
    if (limit64) codeLimit = limit64;
  }
  const hash = HASHES[hashType];
  if (!hash || hash.size !== hashSize) throw new SignatureError(`unknown hash type ${hashType} (size ${hashSize})`);
  const identifier = new TextDecoder().decode(cd.subarray(identOffset, cd.indexOf(0, identOffset)));
  if (codeLimit !== signatureOffset) {
    throw new SignatureError(`the signature covers ${codeLimit} bytes but the code runs to ${signatureOffset}: bytes were added or removed after signing`);
  }
  const pageSize = pageShift ? 2 ** pageShift : codeLimit;
  const expectedSlots = Math.ceil(codeLimit / pageSize);
  if (codeSlots !== expectedSlots) throw new SignatureError(`the CodeDirectory has ${codeSlots} page hashes for ${expectedSlots} pages`);
  const digest = (bytes: Uint8Array) => new Uint8Array(createHash(hash.name).update(bytes).digest().subarray(0, hashSize));
  for (let page = 0; page < codeSlots; page++) {
    const start = page * pageSize;
    const actual = digest(file.subarray(start, Math.min(start + pageSize, codeLimit)));
    const stored = cd.subarray(hashOffset + page * hashSize, hashOffset + (page + 1) * hashSize);
    if (!equal(actual, stored)) {
      throw new SignatureError(`page ${page} (bytes ${start}–${Math.min(start + pageSize, codeLimit) - 1}) does not match its ${hash.name} hash in the signature: the binary was changed after it was signed`);
    }
  }
  // Special slot n (1 = Info.plist, 2 = requirements, 5 = entitlements, …) holds the hash of the
  // blob of type n, stored n hashes before the page hashes; an absent blob's slot is all zeros.
  for (let slot = 1; slot <= specialSlots; slot++) {
    const stored = cd.subarray(hashOffset - slot * hashSize, hashOffset - (slot - 1) * hashSize);
    const blob = blobs.get(slot);
    if (!blob) continue; // Info.plist and resources live outside the binary
    if (!equal(digest(blob), stored)) throw new SignatureError(`the signature's blob of type ${slot} does not match its hash in the CodeDirectory`);
  }
  return { identifier, pages: codeSlots, pageSize, hash: hashSize === 20 && hashType === 3 ? "sha256-truncated" : hash.name };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
