// GET /api/vms/available-images and the GitHub token setting, against local fakes of GHCR and
// of GitHub's Packages API: the built-in images with no token at all (tags from the registry,
// anonymously), GitHub's extra packages with a good token, a refused token turned away when it
// is saved, and a registry that cannot be reached failing nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CURATED_IMAGES } from "../../src/adapters/catalogue/curated-images.ts";
import { cirruslabsRepositories } from "../support/cirruslabs-registry.ts";
import { startFakeGhcr, type FakeGhcr } from "../support/fake-ghcr.ts";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.ts";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

const GOOD = "ghp_goodtoken_0123456789abcdef";
const GB = 1024 ** 3;
let github: FakeGithub;
let ghcr: FakeGhcr;
let server: TestServer;
beforeAll(async () => {
  github = startFakeGithub(GOOD);
  ghcr = startFakeGhcr(
    cirruslabsRepositories(
      { diskBytes: 50 * GB, compressedBytes: 20 * GB, uploadedAt: "2026-06-06T10:41:07Z" },
      { ubuntu: { "22.04": { diskBytes: 20 * GB, compressedBytes: 2 * GB, uploadedAt: "2026-07-16T08:00:00Z" } } },
    ),
  );
  server = await startServer({ env: { TARTVM_GITHUB_API_URL: github.url, TARTVM_GHCR_URL: ghcr.url } });
});
afterAll(async () => {
  await stopAll();
  github.stop();
  ghcr.stop();
});

describe("available images", () => {
  test("no token: every built-in image, its tags read anonymously from the registry; GitHub is not asked", async () => {
    const images = await server.get<any[]>("/api/vms/available-images");
    expect(images.map((i) => i.name)).toEqual(CURATED_IMAGES.map((i) => i.name));
    const ubuntu = images.find((i) => i.name === "ubuntu");
    expect(ubuntu).toMatchObject({ url: "ghcr.io/cirruslabs/ubuntu:latest", tags: ["latest", "22.04"], os: "linux", source: "built-in", error: null, pulled_tags: [] });
    expect(typeof ubuntu.description).toBe("string");
    expect(github.requests).toHaveLength(0);
    expect(ghcr.requests.filter((r) => r.path.includes("/tags/list") && r.auth).length).toBe(CURATED_IMAGES.length);
  });

  test("warm: the next call asks the registry nothing, and manifests have given size and date", async () => {
    const deadline = Date.now() + 10_000;
    let images = await server.get<any[]>("/api/vms/available-images");
    while (!images.every((i) => i.tag_details.latest) && Date.now() < deadline) {
      await Bun.sleep(50);
      images = await server.get<any[]>("/api/vms/available-images");
    }
    const before = ghcr.requests.length;
    images = await server.get<any[]>("/api/vms/available-images");
    expect(ghcr.requests.length).toBe(before);
    const ubuntu = images.find((i) => i.name === "ubuntu");
    expect(ubuntu.tag_details["22.04"]).toMatchObject({ disk_bytes: 20 * GB, uploaded_at: "2026-07-16T08:00:00Z" });
    expect(ubuntu.updated_at).toBe("2026-06-06T10:41:07Z");
  });

  test("a token GitHub refuses is turned away when it is saved: 400, with where to make a good one", async () => {
    const response = await server.fetch("/api/settings/github-token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: "ghp_wrong_token_0000000000" }),
    });
    expect(response.status).toBe(400);
    const { detail } = await response.json();
    expect(detail).toContain("GitHub refused");
    expect(detail).toContain("scopes=read:packages");
    expect((await server.get("/api/settings/github-token")).configured).toBe(false);
  });

  test("a good token: GitHub's packages that the built-in list lacks are added, the rest stay as they were", async () => {
    expect((await (await server.post("/api/settings/github-token", { token: GOOD })).json()).configured).toBe(true);
    const images = await server.get<any[]>("/api/vms/available-images");
    // The fake GitHub knows macos-sequoia-base, macos-sequoia-xcode and ubuntu: all built in.
    expect(images.length).toBe(CURATED_IMAGES.length);
    expect(images.every((i) => i.source === "built-in")).toBe(true);
    expect(github.requests.some((r) => r.auth === `Bearer ${GOOD}`)).toBe(true);
  });

  test("the token from TARTVM_GITHUB_TOKEN works too, and is only shown masked", async () => {
    const other = await startServer({ env: { TARTVM_GITHUB_API_URL: github.url, TARTVM_GITHUB_TOKEN: GOOD } });
    expect(await other.get("/api/settings/github-token")).toEqual({ configured: true, masked_token: "ghp_...cdef", source: "environment" });
    await other.stop();
  });

  test("no registry and no GitHub: still every built-in image, each saying why its tags are a guess", async () => {
    const offline = await startServer(); // both point at a dead loopback port
    await offline.post("/api/settings/github-token", { token: GOOD }); // unreachable: kept unchecked
    const images = await offline.get<any[]>("/api/vms/available-images");
    expect(images.map((i) => i.name)).toEqual(CURATED_IMAGES.map((i) => i.name));
    for (const image of images) {
      expect(image.error).toContain("could not be reached");
      expect(image.url).toStartWith(`ghcr.io/cirruslabs/${image.name}:`);
    }
    await offline.stop();
  });
});
