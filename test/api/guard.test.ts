// The request guard over real HTTP: token on every /api route (health included) and the
// websocket, Host checks against DNS rebinding, foreign Origins on state changes, JSON-only bodies.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ seed: { local: 1 } });
});
afterAll(stopAll);

describe("token", () => {
  test("is 43 URL-safe characters in a 0600 file inside a 0700 dir", () => {
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(server.dataDir, "token")).mode & 0o777).toBe(0o600);
    expect(statSync(server.dataDir).mode & 0o777).toBe(0o700);
  });

  for (const path of ["/api/health", "/api/vms", "/api/vms/categorized", "/api/tasks/active", "/api/tart/version", "/api/settings/github-token", "/api/vms/vm-0001"]) {
    test(`GET ${path} without or with a wrong token is 401`, async () => {
      const missing = await server.fetch(path, { token: null });
      expect(missing.status).toBe(401);
      expect((await missing.json()).detail).toContain("X-Local-Token");
      const wrong = await server.fetch(path, { token: "x".repeat(43) });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({ detail: "Invalid API token" });
    });
  }

  test("a token in the query string does not work for HTTP routes", async () => {
    const response = await server.fetch(`/api/vms?token=${server.token}`, { token: null });
    expect(response.status).toBe(401);
  });
});

describe("Host and Origin", () => {
  const hosts = ["evil.example:PORT", "127.0.0.1:1", "localhost.evil.example:PORT", "127.0.0.2:PORT", ""];
  for (const host of hosts) {
    test(`Host ${JSON.stringify(host)} is 403`, async () => {
      const response = await fetch(`${server.base}/api/vms`, {
        headers: { host: host.replace("PORT", String(server.port)), "x-local-token": server.token },
      });
      expect(response.status).toBe(403);
      expect((await response.json()).detail).toContain("Host");
    });
  }

  test("localhost and [::1] names are accepted", async () => {
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      const response = await fetch(`${server.base}/api/health`, { headers: { host, "x-local-token": server.token } });
      expect(response.status).toBe(200);
    }
  });

  test("a foreign Origin cannot change state, even with the token", async () => {
    for (const origin of ["http://evil.example", "null", `http://127.0.0.1:${server.port + 1}`]) {
      const response = await server.fetch("/api/vms/refresh", { method: "POST", headers: { origin, "content-type": "application/json" }, body: "{}" });
      expect(response.status).toBe(403);
    }
    const same = await server.fetch("/api/vms/refresh", { method: "POST", headers: { origin: server.base, "content-type": "application/json" }, body: "{}" });
    expect(same.status).toBe(200);
  });

  test("Sec-Fetch-Site: cross-site is refused on state changes", async () => {
    const response = await server.fetch("/api/vms/refresh", { method: "POST", headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(403);
  });

  test("an Origin with the wrong scheme is foreign: https://127.0.0.1:PORT on this http server", async () => {
    for (const origin of [`https://127.0.0.1:${server.port}`, `ws://127.0.0.1:${server.port}`, `https://localhost:${server.port}`]) {
      const response = await server.fetch("/api/vms/refresh", { method: "POST", headers: { origin, "content-type": "application/json" }, body: "{}" });
      expect(response.status).toBe(403);
      expect((await response.json()).detail).toContain("Cross-origin");
    }
  });

  // A browser's preflight carries no X-Local-Token, so it must be refused by the CORS rule itself
  // (403 naming CORS), not by the token check that would refuse it anyway.
  test("CORS stays closed: a preflight is refused as CORS, with no Access-Control headers", async () => {
    const response = await fetch(`${server.base}/api/vms/pull`, {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-local-token" },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain("CORS");
    for (const name of ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers"]) {
      expect(response.headers.get(name)).toBeNull();
    }
  });

  test("a foreign Origin reading with the token gets no Access-Control-Allow-Origin", async () => {
    const response = await server.fetch("/api/vms", { headers: { origin: "http://evil.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a websocket upgrade from a foreign Origin is 403", async () => {
    const response = await fetch(`${server.base}/ws/tasks/00000000-0000-0000-0000-000000000000?token=${server.token}`, {
      headers: { origin: "http://evil.example", upgrade: "websocket", connection: "upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" },
    });
    expect(response.status).toBe(403);
  });

  test("a websocket upgrade from https://127.0.0.1:PORT (wrong scheme) is 403", async () => {
    const response = await fetch(`${server.base}/ws/tasks/00000000-0000-0000-0000-000000000000?token=${server.token}`, {
      headers: { origin: `https://127.0.0.1:${server.port}`, upgrade: "websocket", connection: "upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" },
    });
    expect(response.status).toBe(403);
  });
});

describe("bodies", () => {
  for (const [type, body] of [
    ["application/x-www-form-urlencoded", "oci_url=ghcr.io/a/b:c"],
    ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="oci_url"\r\n\r\nghcr.io/a/b:c\r\n--x--'],
    ["text/plain", '{"oci_url":"ghcr.io/a/b:c"}'],
  ] as const) {
    test(`${type.split(";")[0]} is refused with 415`, async () => {
      const response = await server.fetch("/api/vms/pull", { method: "POST", headers: { "content-type": type }, body });
      expect(response.status).toBe(415);
      expect((await response.json()).detail).toContain("application/json");
    });
  }

  test("an empty POST without a content type is fine for routes without a body", async () => {
    const response = await server.fetch("/api/vms/refresh", { method: "POST" });
    expect(response.status).toBe(200);
  });

  test("an oversize body is 413", async () => {
    const response = await server.fetch("/api/vms/pull", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ oci_url: "a".repeat(100_000) }) });
    expect(response.status).toBe(413);
  });

  test("malformed JSON is 400, a wrong type 422 naming the field", async () => {
    const bad = await server.fetch("/api/vms/pull", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toContain("JSON");
    const wrong = await server.post("/api/vms/create", { name: "a", source_vm: "vm-0001", cpu: "4" });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).detail).toStartWith("cpu:");
  });
});

describe("GitHub token setting", () => {
  test("set, read masked, stored 0600, cleared with an empty string", async () => {
    const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const set = await server.post("/api/settings/github-token", { token });
    expect(set.status).toBe(200);
    const status = await server.get("/api/settings/github-token");
    expect(status.configured).toBe(true);
    expect(status.masked_token).toBe("ghp_...6789");
    expect(JSON.stringify(status)).not.toContain("abcdefgh");
    expect(statSync(join(server.dataDir, "github_token")).mode & 0o777).toBe(0o600);
    await server.post("/api/settings/github-token", { token: "" });
    expect(await server.get("/api/settings/github-token")).toMatchObject({ configured: false, masked_token: null });
  });

  test("available-images without a token still lists the built-in images", async () => {
    const images = await server.get<{ name: string }[]>("/api/vms/available-images");
    expect(images.map((image) => image.name)).toContain("macos-sequoia-base");
  });
});
