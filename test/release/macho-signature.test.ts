// The release's code-signature check on a real darwin-arm64 binary from `bun build --compile`:
// it passes as built, and fails, naming what is wrong, once any byte it covers is changed.
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { SignatureError, verifyMachOSignature } from "../../src/release/macho-signature.ts";
import { BINARY } from "../support/server-process.ts";
import { buildDarwinBinary } from "./darwin-binary.ts";
import { signedMachO } from "./macho-fixture.ts";

let original: Uint8Array;
const copy = () => new Uint8Array(original);

/** The signature's place and the CodeDirectory's hash offset, read independently of the checker. */
function layout(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer);
  let at = 32;
  for (let i = 0; i < view.getUint32(16, true); i++) {
    if (view.getUint32(at, true) === 0x1d) {
      const dataoff = view.getUint32(at + 8, true);
      const cdOffset = dataoff + view.getUint32(dataoff + 16, false); // first index entry: the CodeDirectory
      return { command: at, dataoff, cd: cdOffset, hashOffset: view.getUint32(cdOffset + 16, false) };
    }
    at += view.getUint32(at + 4, true);
  }
  throw new Error("no LC_CODE_SIGNATURE");
}

beforeAll(() => {
  original = new Uint8Array(readFileSync(buildDarwinBinary()));
}, 60_000);

describe("verifyMachOSignature", () => {
  test("passes on the binary bun built: every page matches", () => {
    const [slice] = verifyMachOSignature(original);
    expect(slice).toMatchObject({ cpu: "arm64", hash: "sha256", pageSize: 4096 });
    expect(slice!.pages).toBe(Math.ceil(layout(original).dataoff / 4096));
  });

  test.each([
    ["in the second page", 4096 + 123, /page 1 \(bytes 4096–8191\)/],
    ["in the middle of the code", 40_000_000, /page 9765 /],
    ["in the last byte before the signature", -1, /page \d+ .* does not match its sha256 hash/],
  ])("a byte flipped %s fails the check", (_, where, message) => {
    const bytes = copy();
    const at = where === -1 ? layout(bytes).dataoff - 1 : (where as number);
    bytes[at]! ^= 0x01;
    expect(() => verifyMachOSignature(bytes)).toThrow(SignatureError);
    expect(() => verifyMachOSignature(bytes)).toThrow(message as RegExp);
  });

  test("a changed page hash in the CodeDirectory fails the check", () => {
    const bytes = copy();
    const { cd, hashOffset } = layout(bytes);
    bytes[cd + hashOffset + 32 * 7 + 5]! ^= 0x80;
    expect(() => verifyMachOSignature(bytes)).toThrow(/page 7 /);
  });

  test("an unsigned or foreign binary is refused", () => {
    const unsigned = copy();
    new DataView(unsigned.buffer).setUint32(layout(unsigned).command, 0x19, true); // now an LC_SEGMENT_64 tag
    expect(() => verifyMachOSignature(unsigned)).toThrow(/not signed|malformed/);
    // This machine's own Linux build is an ELF file, not a Mach-O.
    expect(() => verifyMachOSignature(new Uint8Array(readFileSync(BINARY).subarray(0, 4096)))).toThrow(/not a 64-bit little-endian Mach-O/);
    expect(() => verifyMachOSignature(original.subarray(0, layout(original).dataoff + 100))).toThrow(/past the end/);
  });
});

// What bun's linker-made signature lacks (it has one SHA-256 CodeDirectory and no special
// slots), on a small Mach-O built by test/release/macho-fixture.ts.
describe("verifyMachOSignature on a hand-built Mach-O", () => {
  test("a requirements blob is checked against its special slot", () => {
    const file = signedMachO({ withRequirements: true });
    expect(verifyMachOSignature(file)[0]).toMatchObject({ identifier: "fixture", pages: 4 });
    file[file.length - 1]! ^= 0x01; // the last byte of the requirements blob
    expect(() => verifyMachOSignature(file)).toThrow(/blob of type 2 does not match/);
  });

  test("SHA-1 hashes and 16 KiB pages are read from the CodeDirectory", () => {
    const file = signedMachO({ hashType: 1, pageShift: 14, codeBytes: 40_000 });
    expect(verifyMachOSignature(file)[0]).toMatchObject({ hash: "sha1", pageSize: 16384, pages: 3 });
    file[20_000]! ^= 0x10;
    expect(() => verifyMachOSignature(file)).toThrow(/page 1 \(bytes 16384–32767\) does not match its sha1 hash/);
  });

  test("a signature that does not start where the code ends is refused", () => {
    const file = signedMachO();
    const view = new DataView(file.buffer);
    view.setUint32(40, view.getUint32(40, true) - 100, true); // LC_CODE_SIGNATURE now points inside the code
    expect(() => verifyMachOSignature(file)).toThrow(SignatureError);
  });
});
