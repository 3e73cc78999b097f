// GET /api/vms/available-images against a local fake of GitHub's Packages API: [] without a
// token, the Tart images with their tags when the token is good, a 4xx detail when it is refused.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.ts";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

const GOOD = "ghp_goodtoken_0123456789abcdef";
let github: FakeGithub;
let server: TestServer;
beforeAll(async () => {
  github = startFakeGithub(GOOD);
  server = await startServer({ env: { TARTVM_GITHUB_API_URL: github.url } });
});
afterAll(async () => {
  await stopAll();
  github.stop();
});

describe("available images", () => {
  test("no token: []", async () => {
    expect(await server.get("/api/vms/available-images")).toEqual([]);
    expect(github.requests).toHaveLength(0);
  });

  test("a refused token is a 4xx whose detail says so", async () => {
    await server.post("/api/settings/github-token", { token: "ghp_wrong_token_0000000000" });
    const response = await server.fetch("/api/vms/available-images");
    expect(response.status).toBe(400);
    expect((await response.json()).detail).toContain("GitHub refused the configured token");
  });

  test("a good token: Tart images with name, url, description, tags and updated_at", async () => {
    await server.post("/api/settings/github-token", { token: GOOD });
    const images = await server.get<any[]>("/api/vms/available-images");
    expect(images.map((i) => i.name)).toEqual(["macos-sequoia-base", "macos-sequoia-xcode", "ubuntu"]);
    const xcode = images.find((i) => i.name === "macos-sequoia-xcode");
    expect(xcode).toEqual({
      name: "macos-sequoia-xcode",
      url: "ghcr.io/cirruslabs/macos-sequoia-xcode:latest",
      description: null,
      tags: ["latest", "16.4", "16.3", "16"],
      updated_at: "2026-06-06T10:41:07Z",
    });
    expect(images[0].description).toBe("macOS Sequoia with Xcode tools");
    expect(github.requests.every((r) => r.auth === `Bearer ${GOOD}` || r.auth?.startsWith("Bearer ghp_wrong"))).toBe(true);
  });

  test("the token from TARTVM_GITHUB_TOKEN works too, and is only shown masked", async () => {
    const other = await startServer({ env: { TARTVM_GITHUB_API_URL: github.url, TARTVM_GITHUB_TOKEN: GOOD } });
    expect(await other.get("/api/settings/github-token")).toEqual({ configured: true, masked_token: "ghp_...cdef", source: "environment" });
    expect((await other.get<any[]>("/api/vms/available-images")).length).toBe(3);
    await other.stop();
  });
});
