// The 64 KiB body cap whatever the framing, every refusal as {"detail"} JSON (Bun's own 413 is
// never what a client sees), and 405 answers that name the methods the route really allows.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ seed: { local: 1 } });
});
afterAll(stopAll);

const json = { "content-type": "application/json" };

/** A body sent with Transfer-Encoding: chunked (no Content-Length), in 16 KiB pieces. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + 16_384));
      at += 16_384;
    },
  });
}

const tartRan = (command: string) => server.argvLog().some((argv) => argv[0] === command);

describe("chunked bodies", () => {
  test("a 100 KB chunked pull is 413 JSON and tart never runs", async () => {
    const body = JSON.stringify({ oci_url: "ghcr.io/cirruslabs/chunked-big:latest", pad: "a".repeat(100_000) });
    const response = await server.fetch("/api/vms/pull", { method: "POST", headers: json, body: chunked(body) });
    expect(response.status).toBe(413);
    expect((await response.json()).detail).toContain("65536 bytes");
    await Bun.sleep(300);
    expect(server.argvLog().some((argv) => argv[0] === "pull" && argv.includes("ghcr.io/cirruslabs/chunked-big:latest"))).toBe(false);
  });

  test("a 100 KB chunked body on a VM action is 413 and the VM is not started", async () => {
    const response = await server.fetch("/api/vms/vm-0001/start", { method: "POST", headers: json, body: chunked(JSON.stringify({ pad: "a".repeat(100_000) })) });
    expect(response.status).toBe(413);
    await Bun.sleep(300);
    expect(tartRan("run")).toBe(false);
  });

  test("a small chunked body is read and acted on as usual", async () => {
    const response = await server.fetch("/api/vms/pull", { method: "POST", headers: json, body: chunked(JSON.stringify({ oci_url: "ghcr.io/cirruslabs/chunked-small:latest" })) });
    expect(response.status).toBe(200);
    expect((await server.waitTask((await response.json()).id)).status).toBe("completed");
  });

  test("an empty chunked body: absent for a route that takes none, the schema's 422 where one is required", async () => {
    const refresh = await server.fetch("/api/vms/refresh", { method: "POST", headers: json, body: chunked("") });
    expect(refresh.status).toBe(200);
    const pull = await server.fetch("/api/vms/pull", { method: "POST", headers: json, body: chunked("") });
    expect(pull.status).toBe(422);
    expect((await pull.json()).detail).toContain("must be a JSON object with oci_url");
  });

  test("malformed chunked JSON is 400", async () => {
    const response = await server.fetch("/api/vms/pull", { method: "POST", headers: json, body: chunked("{nope") });
    expect(response.status).toBe(400);
    expect((await response.json()).detail).toContain("JSON");
  });
});

describe("bodies over any limit", () => {
  test("a 10 MB body with Content-Length is our 413 JSON, not a bare one", async () => {
    const response = await server.fetch("/api/vms/pull", { method: "POST", headers: json, body: new Uint8Array(10_000_000) });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect((await response.json()).detail).toContain("larger than");
  });

  test("a 10 MB chunked body is our 413 JSON too", async () => {
    const response = await server.fetch("/api/vms/pull", { method: "POST", headers: json, body: chunked("x".repeat(10_000_000)) });
    expect(response.status).toBe(413);
    expect((await response.json()).detail).toContain("larger than");
  });

  test("the server still serves afterwards", async () => {
    expect((await server.fetch("/api/health")).status).toBe(200);
  });
});

describe("405", () => {
  test("GET on a POST-only action says Allow: POST", async () => {
    const response = await server.fetch("/api/vms/vm-0001/start");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(typeof (await response.json()).detail).toBe("string");
  });

  test("POST on a GET-only route says Allow: GET", async () => {
    const response = await server.post("/api/vms/vm-0001/config", {});
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });
});
