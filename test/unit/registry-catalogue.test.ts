// The token-free catalogue against the local fake GHCR over real HTTP: the anonymous token flow,
// Link paging, manifests for size and date, the cache (memory and data dir), and a registry that
// is down, slow or rate-limiting — every built-in image is listed whatever it does.
import { afterAll, afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CURATED_IMAGES } from "../../src/adapters/catalogue/curated-images.ts";
import { OciRegistry, parseChallenge, registryBaseUrl } from "../../src/adapters/catalogue/oci-registry.ts";
import type { AppError } from "../../src/domain/errors.ts";
import { curatedRepositories, RegistryCatalogue } from "../../src/adapters/catalogue/registry-catalogue.ts";
import { sortTags } from "../../src/adapters/catalogue/tag-order.ts";
import { cirruslabsRepositories } from "../support/cirruslabs-registry.ts";
import { startFakeGhcr, type FakeGhcr } from "../support/fake-ghcr.ts";

const GB = 1024 ** 3;
const image = (uploadedAt: string, diskGB = 50) => ({ diskBytes: diskGB * GB, compressedBytes: Math.round(diskGB * GB * 0.4), uploadedAt });
const xcodeTags = Object.fromEntries(Array.from({ length: 230 }, (_, i) => [`15.${String(i).padStart(3, "0")}`, image("2025-01-01T00:00:00Z")]));
const repositories = cirruslabsRepositories(image("2026-06-06T10:41:07Z"), { "macos-sequoia-xcode": { "16.4": image("2026-06-06T10:41:07Z", 90), ...xcodeTags } });
// A registry per test: background refreshes a test leaves running must not reach the next one.
let ghcr: FakeGhcr;
const dirs: string[] = [];
beforeEach(() => {
  ghcr = startFakeGhcr(repositories);
});
afterEach(() => ghcr.stop());
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function catalogue(cacheDir?: string, options: { coldWaitMs?: number; freshMs?: number } = {}) {
  const dir = cacheDir ?? mkdtempSync(join(tmpdir(), "catalogue-"));
  dirs.push(dir);
  const registry = new OciRegistry({ baseUrl: () => ghcr.url, userAgent: "test", timeoutMs: 2_000, maxRetryAfterMs: 1_500 });
  return { dir, catalogue: new RegistryCatalogue({ registry, cacheFile: join(dir, "catalogue-cache.json"), ...options }) };
}

describe("the token-free catalogue", () => {
  test("cold: every built-in image with its registry tags; one challenge, then a token and a tag list per repository", async () => {
    const { catalogue: c } = catalogue();
    const images = await c.list(curatedRepositories());
    expect(images.map((i) => i.name)).toEqual(CURATED_IMAGES.map((i) => i.name));
    for (const i of images) expect(i.url).toStartWith(`ghcr.io/cirruslabs/${i.name}:`);
    const xcode = images.find((i) => i.name === "macos-sequoia-xcode")!;
    expect(xcode.tags.length).toBe(232); // 230 + 16.4 + latest, through three pages of 100
    expect(xcode.tags.slice(0, 3)).toEqual(["latest", "16.4", "15.229"]);
    expect(xcode.url).toBe("ghcr.io/cirruslabs/macos-sequoia-xcode:latest");
    expect(xcode.error).toBeNull();
    const tagLists = ghcr.requests.filter((r) => r.path.includes("/tags/list"));
    const challenged = tagLists.filter((r) => r.auth === null);
    expect(challenged.length).toBe(1); // later repositories go straight to the token service
    expect(ghcr.requests.filter((r) => r.path.startsWith("/token")).length).toBe(CURATED_IMAGES.length);
    expect(tagLists.filter((r) => r.path.includes("last=")).length).toBe(2); // Link followed
  });

  test("size and date of the newest tags arrive lazily from the manifests", async () => {
    const { catalogue: c } = catalogue();
    await c.list(curatedRepositories());
    await waitUntil(async () => (await c.list(curatedRepositories())).every((i) => i.tag_details.latest));
    const xcode = (await c.list(curatedRepositories())).find((i) => i.name === "macos-sequoia-xcode")!;
    expect(Object.keys(xcode.tag_details).sort()).toEqual(["15.229", "16.4", "latest"]);
    expect(xcode.tag_details["16.4"]).toEqual({ download_bytes: expect.any(Number), disk_bytes: 90 * GB, uploaded_at: "2026-06-06T10:41:07Z" });
    expect(xcode.tag_details["16.4"]!.download_bytes!).toBeGreaterThan(0.39 * 90 * GB);
    expect(xcode.updated_at).toBe("2026-06-06T10:41:07Z");
  });

  test("warm: a second call asks the registry nothing, and a new process reads the data dir's cache", async () => {
    const { dir, catalogue: c } = catalogue();
    await c.list(curatedRepositories());
    await waitUntil(async () => (await c.list(curatedRepositories())).every((i) => i.tag_details.latest));
    ghcr.requests.length = 0;
    await c.list(curatedRepositories());
    expect(ghcr.requests.length).toBe(0);
    const again = catalogue(dir).catalogue;
    const images = await again.list(curatedRepositories());
    expect(ghcr.requests.length).toBe(0);
    expect(images.find((i) => i.name === "macos-sequoia-xcode")!.tags.length).toBe(232);
  });

  test("a dead registry: the built-in names still come, within the cold wait, each saying why its tags are a guess", async () => {
    ghcr.setModes({ dead: true });
    const { catalogue: c } = catalogue(undefined, { coldWaitMs: 500 });
    const started = Date.now();
    const images = await c.list(curatedRepositories());
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(images.length).toBe(CURATED_IMAGES.length);
    expect(images.find((i) => i.name === "macos-runner")!.tags).toEqual(["sequoia"]);
    for (const i of images) expect(i.error).not.toBeNull();
  });

  test("an unreachable registry after a good read: the cached tags, marked with the failure", async () => {
    const { catalogue: c } = catalogue(undefined, { freshMs: 0 });
    await c.list(curatedRepositories());
    ghcr.setModes({ dead: true });
    const images = await c.list(curatedRepositories()); // answered from the cache while it refreshes
    expect(images.find((i) => i.name === "macos-sequoia-xcode")!.tags.length).toBe(232);
    expect(images.every((i) => i.checked_at !== null && i.error === null)).toBe(true);
    await waitUntil(async () => (await c.list(curatedRepositories())).every((i) => i.error !== null), 8_000);
    const after = (await c.list(curatedRepositories())).find((i) => i.name === "macos-sequoia-xcode")!;
    expect(after.tags.length).toBe(232);
    expect(after.error).toContain("did not answer in time");
  });

  test("a 429 with a short Retry-After is waited out; the tags still arrive", async () => {
    ghcr.setModes({ rateLimit: { count: 1, retryAfterSeconds: 1, pathIncludes: "macos-tahoe-vanilla/tags" } });
    const { catalogue: c } = catalogue();
    const started = Date.now();
    const images = await c.list(curatedRepositories().slice(0, 1));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(images[0]!.error).toBeNull();
    expect(images[0]!.tags).toEqual(["latest"]);
  });

  test("a long Retry-After is not waited for: the image is listed with the rate limit as its error", async () => {
    ghcr.setModes({ rateLimit: { count: 100, retryAfterSeconds: 120, pathIncludes: "macos-tahoe-vanilla/tags" } });
    const { catalogue: c } = catalogue();
    const [first] = await c.list(curatedRepositories().slice(0, 1));
    expect(first!.error).toContain("rate-limiting");
    expect(first!.tags).toEqual(["latest"]);
  });

  test("an expired token is renewed through the challenge", async () => {
    ghcr.setModes({ tokenLifetimeMs: 50 });
    const { catalogue: c } = catalogue(undefined, { freshMs: 0 });
    const repos = curatedRepositories().slice(0, 1);
    await c.list(repos);
    await Bun.sleep(100); // the fake now refuses that token; the client still holds it
    ghcr.requests.length = 0;
    await c.list(repos);
    await waitUntil(async () => ghcr.requests.filter((r) => r.path.includes("/tags/list")).length >= 2);
    const [refused, retried] = ghcr.requests.filter((r) => r.path.includes("/tags/list"));
    expect(refused!.auth).toStartWith("Bearer ");
    expect(retried!.auth).not.toBe(refused!.auth);
    expect(ghcr.requests.some((r) => r.path.startsWith("/token"))).toBe(true);
    await waitUntil(async () => (await c.list(repos))[0]!.error === null);
  });
});

describe("a repository the registry will not serve anonymously", () => {
  const registry = () => new OciRegistry({ baseUrl: () => ghcr.url, userAgent: "test", timeoutMs: 2_000 });
  const codeOf = (promise: Promise<unknown>) => promise.then(() => "ok", (e: AppError) => `${e.code}: ${e.detail}`);

  test("unknown (401 at the token service), private (403) and a plain 404 are refusals; unreachable is a failure", async () => {
    ghcr.repositories.set("acme/private", { name: "acme/private", tags: {}, private: true });
    expect(await codeOf(registry().tags("ghcr.io", "acme/nothing"))).toStartWith("upstream_refused: ");
    expect(await codeOf(registry().tags("ghcr.io", "acme/private"))).toMatch(/^upstream_refused: .*refused anonymous access to acme\/private \(403: DENIED/);
    const plain = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => Response.json({ errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }] }, { status: 404 }) });
    try {
      const onPlain = new OciRegistry({ baseUrl: () => plain.url.origin, userAgent: "test" });
      expect(await codeOf(onPlain.tags("registry.example", "a/b"))).toBe("upstream_refused: registry.example does not know a/b (404: NAME_UNKNOWN repository name not known to registry)");
    } finally {
      plain.stop(true);
    }
    const dead = new OciRegistry({ baseUrl: () => "http://127.0.0.1:9", userAgent: "test" });
    expect(await codeOf(dead.tags("ghcr.io", "a/b"))).toStartWith("upstream_failed: 127.0.0.1:9 could not be reached");
  });

  test("loopback registries are asked over plain HTTP, every other one over HTTPS", () => {
    expect(registryBaseUrl("localhost:5000")).toBe("http://localhost:5000");
    expect(registryBaseUrl("127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(registryBaseUrl("[::1]:5000")).toBe("http://[::1]:5000");
    expect(registryBaseUrl("quay.io")).toBe("https://quay.io");
    expect(registryBaseUrl("localhost.example.com")).toBe("https://localhost.example.com");
    expect(registryBaseUrl("127.0.0.1.nip.io")).toBe("https://127.0.0.1.nip.io");
  });
});

describe("helpers", () => {
  test("the Bearer challenge is read with quoted and bare values", () => {
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"')).toEqual({
      realm: "https://ghcr.io/token",
      service: "ghcr.io",
      scope: "repository:a/b:pull",
    });
    expect(parseChallenge("Basic realm=x")).toBeNull();
    expect(parseChallenge(null)).toBeNull();
  });

  test("tags: latest, then newest versions first", () => {
    expect(sortTags(["16", "16.4", "latest", "26.2", "16.10"])).toEqual(["latest", "26.2", "16.10", "16.4", "16"]);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await Bun.sleep(25);
  }
}
