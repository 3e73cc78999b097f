// The free-space check before a pull: refused with a 507 that says what is needed and free,
// passed with what it saw, skipped with the reason when the size or the space cannot be known;
// and the image's size asked of a (fake) registry, with a registry that never answers costing a
// bounded wait instead of a hung request.
import { afterAll, describe, expect, test } from "bun:test";
import { ImageDiskSizes } from "../../src/adapters/catalogue/image-disk-size.ts";
import { OciRegistry } from "../../src/adapters/catalogue/oci-registry.ts";
import { freeBytesAt } from "../../src/adapters/host/free-space.ts";
import { AppError } from "../../src/domain/errors.ts";
import { checkImageFits, describeVerdict, type SpaceFacts } from "../../src/domain/space-check.ts";
import { startFakeGhcr } from "../support/fake-ghcr.ts";

const REF = "ghcr.io/cirruslabs/macos-sequoia-base:latest";
const facts = (free: number | null, bytes: number | null): SpaceFacts => ({
  tartHome: "/Users/me/.tart",
  freeBytes: () => free,
  imageDiskBytes: async () => (bytes === null ? { bytes: null, reason: "ghcr.io could not be reached" } : { bytes }),
});

describe("checkImageFits", () => {
  test("an image larger than the free space is a 507 naming both sizes and the way out", async () => {
    const refusal = await checkImageFits(facts(20e9, 50e9), REF, false).catch((e) => e);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal.code).toBe("insufficient_storage");
    expect(refusal.detail).toContain("its disk is 50.0 GB");
    expect(refusal.detail).toContain("/Users/me/.tart has 20.0 GB free");
    expect(refusal.detail).toContain('"force": true');
  });
  test("one that fits passes and says what was seen", async () => {
    const verdict = await checkImageFits(facts(80e9, 50e9), REF, false);
    expect(describeVerdict(verdict)).toBe("free space checked: the image's disk is 50.0 GB, 80.0 GB free");
  });
  test("force skips it; unknowns are not refusals but are said", async () => {
    expect(describeVerdict(await checkImageFits(facts(1, 50e9), REF, true))).toBe("free space not checked: skipped (force)");
    expect(describeVerdict(await checkImageFits(facts(1, null), REF, false))).toBe(
      "free space not checked: the image's size is not known (ghcr.io could not be reached)",
    );
    expect(describeVerdict(await checkImageFits(facts(null, 50e9), REF, false))).toContain("cannot be read");
  });
});

test("freeBytesAt: a tart home that does not exist yet is measured at its nearest parent", () => {
  const free = freeBytesAt("/tmp/does/not/exist/yet/.tart");
  expect(typeof free).toBe("number");
  expect(free!).toBeGreaterThan(0);
});

describe("ImageDiskSizes against a registry", () => {
  const ghcr = startFakeGhcr([
    { name: "cirruslabs/macos-sequoia-base", tags: { latest: { diskBytes: 50e9, compressedBytes: 20e9, uploadedAt: "2026-06-06T10:41:07Z" } } },
  ]);
  afterAll(() => ghcr.stop());
  const registry = () => new OciRegistry({ baseUrl: () => ghcr.url, userAgent: "test", timeoutMs: 10_000 });

  test("reads the uncompressed-disk-size annotation, and remembers it", async () => {
    ghcr.setModes({});
    const sizes = new ImageDiskSizes(registry());
    expect(await sizes.diskBytes(REF)).toEqual({ bytes: 50e9 });
    const asked = ghcr.requests.length;
    expect(await sizes.diskBytes(REF)).toEqual({ bytes: 50e9 });
    expect(ghcr.requests.length).toBe(asked);
  });
  test("an unknown tag or a registry that never answers gives no size and the reason, in bounded time", async () => {
    const sizes = new ImageDiskSizes(registry(), 300);
    const missing = await sizes.diskBytes("ghcr.io/cirruslabs/macos-sequoia-base:nope");
    expect(missing.bytes).toBeNull();
    expect(missing.reason).toBeTruthy();
    ghcr.setModes({ dead: true });
    const t0 = performance.now();
    const dead = await sizes.diskBytes("ghcr.io/cirruslabs/macos-sequoia-base:other");
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(dead).toEqual({ bytes: null, reason: "ghcr.io did not answer in time" });
    ghcr.setModes({});
  });
});
