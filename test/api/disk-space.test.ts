// The free-space check before a pull: an image whose disk is larger than the free space of the
// volume holding TART_HOME is refused with a 507 before tart runs, unless "force": true; one that
// fits is pulled and its log says what was checked; a registry that cannot say the size does not
// block the pull. Sizes come from the fake GHCR's manifests (the uncompressed-disk-size
// annotation), the free space from this machine's real file system.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { startFakeGhcr, type FakeGhcr } from "../support/fake-ghcr.ts";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

/** Free bytes where the test's TART_HOME will be (the system's temp dir). */
const freeHere = () => {
  const fs = statfsSync(mkdtempSync(`${tmpdir()}/disk-space-`));
  return Number(fs.bavail) * Number(fs.bsize);
};
// Half again the free space: too big, yet a manifest of a realistic number of 512 MiB layers.
const HUGE = Math.round(freeHere() * 1.5 + 10e9);
const SMALL = 1e6;
let ghcr: FakeGhcr;
let server: TestServer;

beforeAll(async () => {
  ghcr = startFakeGhcr([
    {
      name: "cirruslabs/huge",
      tags: {
        latest: { diskBytes: HUGE, compressedBytes: 20e9, uploadedAt: "2026-11-01T00:00:00Z" },
        other: { diskBytes: HUGE, compressedBytes: 20e9, uploadedAt: "2026-11-01T00:00:00Z" },
      },
    },
    { name: "cirruslabs/small", tags: { latest: { diskBytes: SMALL, compressedBytes: SMALL, uploadedAt: "2026-11-01T00:00:00Z" } } },
  ]);
  server = await startServer({ env: { TARTVM_GHCR_URL: ghcr.url }, seed: { local: 1, oci: 0 } });
});
afterAll(async () => {
  await stopAll();
  ghcr.stop();
});

const tartCalls = (verb: string) => server.argvLog().filter((argv) => argv[0] === verb).length;

describe("free space before a pull", () => {
  test("an image too big for the free space is a 507 that says both sizes and how to go on; tart never runs", async () => {
    const pulls = tartCalls("pull");
    const response = await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/huge:latest" });
    expect(response.status).toBe(507);
    const { detail } = await response.json();
    const free = statfsSync(server.tartHome);
    expect(detail).toContain(`ghcr.io/cirruslabs/huge:latest does not fit: its disk is ${(HUGE / 1e9).toFixed(1)} GB`);
    expect(detail).toContain(`volume holding ${server.tartHome} has`);
    expect(detail).toContain('"force": true');
    expect(Number(free.bavail) * Number(free.bsize)).toBeLessThan(HUGE);
    expect(tartCalls("pull")).toBe(pulls);
    expect((await server.get<any[]>("/api/tasks/active")).length).toBe(0);
  });

  test('"force": true pulls it anyway, and the log says the check was skipped', async () => {
    const response = await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/huge:latest", force: true });
    expect(response.status).toBe(200);
    const task = await server.waitTask((await response.json()).id);
    expect(task.status).toBe("completed");
    expect(task.logs).toContain("free space not checked: skipped (force)");
  });

  test("one that fits is pulled, with what was seen in its log", async () => {
    const response = await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/small:latest" });
    expect(response.status).toBe(200);
    const task = await server.waitTask((await response.json()).id);
    expect(task.status).toBe("completed");
    expect(task.logs.some((line: string) => /^free space checked: the image's disk is 0\.0 GB, [\d.]+ GB free$/.test(line))).toBe(true);
  });

  test("a create from an image not pulled yet is checked the same way; one already pulled is not", async () => {
    const refused = await server.post("/api/vms/create", { name: "too-big", source_vm: "ghcr.io/cirruslabs/huge:other" });
    expect(refused.status).toBe(507);
    expect((await refused.json()).detail).toContain("ghcr.io/cirruslabs/huge:other does not fit");
    // huge:latest was pulled (forced) above: tart clones it from the cache, no download.
    const fromCache = await server.post("/api/vms/create", { name: "from-cache", source_vm: "ghcr.io/cirruslabs/huge:latest" });
    expect(fromCache.status).toBe(200);
    expect((await server.waitTask((await fromCache.json()).id)).status).toBe("completed");
  });

  test("a registry that cannot be reached does not block the pull; the log says why nothing was checked", async () => {
    ghcr.setModes({ dead: true });
    try {
      const response = await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/offline:latest" });
      expect(response.status).toBe(200);
      const task = await server.waitTask((await response.json()).id);
      expect(task.logs.find((line: string) => line.startsWith("free space not checked"))).toContain("did not answer in time");
    } finally {
      ghcr.setModes({});
    }
  }, 30_000);

  test("force must be a boolean", async () => {
    const response = await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/small:latest", force: "yes" });
    expect(response.status).toBe(422);
  });
});
