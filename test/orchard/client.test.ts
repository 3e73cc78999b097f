/**
 * The Orchard side below the routes, against the fake controller: orchard.yml contexts (env
 * overrides, base64 certificates, broken files), URL normalisation, the event reader's cursor
 * paging across pages and new arrivals, pinned TLS, and the User-Agent rule.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { orchardContextsReader, readOrchardContexts } from "../../src/orchard/cli-config.ts";
import { normalizeControllerUrl, type ClusterConfig } from "../../src/orchard/cluster-config.ts";
import { ControllerClient, OrchardFailure } from "../../src/orchard/controller-client.ts";
import { VmEventReader } from "../../src/orchard/vm-events.ts";
import { startFakeOrchard } from "../support/fake-orchard/controller.ts";

const orchard = startFakeOrchard({ tls: true, adminToken: "admin-token" });
afterAll(() => orchard.stop());
const config = (extra: Partial<ClusterConfig> = {}): ClusterConfig => ({
  name: "farm", url: orchard.url, source: "app", serviceAccountName: "bootstrap-admin", serviceAccountToken: "admin-token", certificate: orchard.certificate!.cert, ...extra,
});
const client = (extra: Partial<ClusterConfig> = {}) => new ControllerClient(config(extra), { userAgent: "taartenfabriek/test", timeoutMs: 2000 });

describe("orchard.yml", () => {
  test("contexts become clusters; env overrides apply to the default one; a broken context is skipped", () => {
    const home = mkdtempSync(join(tmpdir(), "orchard-cfg-"));
    mkdirSync(join(home, ".orchard"));
    const pem = Buffer.from(orchard.certificate!.cert).toString("base64");
    writeFileSync(
      join(home, ".orchard", "orchard.yml"),
      `default-context: production\ncontexts:\n  production:\n    url: orchard.example.com\n    certificate: ${pem}\n    serviceAccountName: bootstrap-admin\n    serviceAccountToken: old\n  local-dev:\n    url: http://127.0.0.1:6120\n  broken:\n    url: "ftp://x"\n`,
    );
    const warnings: string[] = [];
    const clusters = readOrchardContexts({ ORCHARD_HOME: home, ORCHARD_SERVICE_ACCOUNT_TOKEN: "new" }, (w) => warnings.push(w));
    expect(clusters.map((c) => c.name)).toEqual(["production", "local-dev"]);
    expect(clusters[0]).toMatchObject({ url: "https://orchard.example.com:6120", source: "orchard-cli", serviceAccountName: "bootstrap-admin", serviceAccountToken: "new", certificate: orchard.certificate!.cert });
    expect(clusters[1]).toMatchObject({ url: "http://127.0.0.1:6120", serviceAccountName: null, certificate: null });
    expect(warnings.join("\n")).toContain('"broken"');
    writeFileSync(join(home, ".orchard", "orchard.yml"), "contexts: [unclosed");
    expect(readOrchardContexts({ ORCHARD_HOME: home }, (w) => warnings.push(w))).toEqual([]);
    expect(warnings.at(-1)).toContain("is not valid YAML");
    expect(readOrchardContexts({ HOME: join(home, "none") }, () => {})).toEqual([]);
  });

  test("the routes' reader parses orchard.yml again only when the file changes", () => {
    const home = mkdtempSync(join(tmpdir(), "orchard-cfg-"));
    const read = orchardContextsReader({ ORCHARD_HOME: home }, () => {});
    expect(read()).toEqual([]); // no file yet
    mkdirSync(join(home, ".orchard"));
    writeFileSync(join(home, ".orchard", "orchard.yml"), "contexts:\n  a:\n    url: http://127.0.0.1:6120\n");
    const first = read();
    expect(first.map((c) => c.name)).toEqual(["a"]);
    expect(read()).toBe(first); // unchanged file: the same parse
    writeFileSync(join(home, ".orchard", "orchard.yml"), "contexts:\n  a:\n    url: http://127.0.0.1:6120\n  bb:\n    url: http://127.0.0.1:6121\n");
    expect(read().map((c) => c.name)).toEqual(["a", "bb"]);
  });

  test("addresses are normalised as `orchard context create` does", () => {
    expect(normalizeControllerUrl("orchard.lan")).toBe("https://orchard.lan:6120");
    expect(normalizeControllerUrl("http://10.0.0.5")).toBe("http://10.0.0.5:6120");
    expect(normalizeControllerUrl("https://o.lan:443/")).toBe("https://o.lan"); // an explicit default port stays the default
    expect(normalizeControllerUrl("https://o.lan:7000/orchard")).toBe("https://o.lan:7000/orchard");
    for (const bad of ["", "ftp://x", "https://u:p@x", "a b"]) expect(normalizeControllerUrl(bad)).toBeNull();
  });
});

describe("controller client", () => {
  test("pinned TLS with the certificate's DNS name; another certificate is a TLS failure; wrong token a 401", async () => {
    expect((await client().call<{ version: string }>("GET", "/controller/info")).body.version).toBe("0.55.0");
    const other = startFakeOrchard({ tls: true });
    try {
      const error = await client({ certificate: other.certificate!.cert }).call("GET", "/controller/info").catch((e) => e);
      expect(error).toBeInstanceOf(OrchardFailure);
      expect(error.kind).toBe("tls");
    } finally {
      other.stop();
    }
    const refused = await client({ serviceAccountToken: "wrong" }).call("GET", "/vms").catch((e) => e);
    expect([refused.kind, refused.status, refused.reason]).toEqual(["http", 401, ""]);
    expect(() => new ControllerClient(config(), { userAgent: "Orchard/0.55.0-abc", timeoutMs: 1000 })).toThrow();
  });

  test("a hung controller is a timeout, not a hang", async () => {
    orchard.setHung(true);
    try {
      const error = await client().call("GET", "/vms", undefined, undefined, 300).catch((e) => e);
      expect(error.kind).toBe("timeout");
    } finally {
      orchard.setHung(false);
    }
  });

  test("a controller that sends its headers and then stalls the body is a timeout too", async () => {
    const stalled = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('[{"name":')) }), { headers: { "content-type": "application/json" } }),
    });
    try {
      const plain = new ControllerClient(config({ url: `http://127.0.0.1:${stalled.port}`, certificate: null }), { userAgent: "taartenfabriek/test", timeoutMs: 300 });
      const error = await plain.call("GET", "/vms").catch((e) => e);
      expect(error).toBeInstanceOf(OrchardFailure);
      expect([error.kind, error.reason]).toEqual(["timeout", "no answer within 0.3 s"]);
    } finally {
      stalled.stop(true);
    }
  });

  test("the event reader delivers every event once, across pages and as new ones arrive", async () => {
    await client().call("POST", "/vms", { name: "logs", image: "img" });
    const vm = orchard.cluster.vms.get("logs")!;
    const line = (i: number) => ({ kind: "log_line" as const, timestamp: 1, payload: `line ${i}` });
    orchard.cluster.appendEvents(vm, Array.from({ length: 7 }, (_, i) => line(i)));
    const reader = new VmEventReader(client(), "logs", 3);
    expect(await reader.next()).toEqual(Array.from({ length: 7 }, (_, i) => `line ${i}`));
    expect(await reader.next()).toEqual([]);
    orchard.cluster.appendEvents(vm, [line(7), line(8)]);
    expect(await reader.next()).toEqual(["line 7", "line 8"]);
    const pages = orchard.requests.filter((r) => r.path.startsWith("/v1/vms/logs/events")).map((r) => r.path);
    expect(pages.some((p) => p.includes("cursor="))).toBe(true);
  });

  test("the port-forward websocket the console will use: pinned TLS, Basic auth, raw bytes in binary frames", async () => {
    orchard.cluster.addWorker("w1");
    await client().call("POST", "/vms", { name: "console", image: "img" });
    for (let i = 0; i < 100 && orchard.cluster.vms.get("console")!.status !== "running"; i++) await Bun.sleep(20);
    const request = client().websocketRequest("/vms/console/port-forward?port=5900&wait=10");
    expect(request.headers["user-agent"]).toBe("taartenfabriek/test");
    const ws = new WebSocket(request.url, { headers: request.headers, tls: request.tls } as any);
    ws.binaryType = "arraybuffer";
    const echoed = await new Promise<ArrayBuffer>((resolve, reject) => {
      ws.onopen = () => ws.send(new Uint8Array([0x52, 0x46, 0x42, 0x20])); // "RFB "
      ws.onmessage = (event) => resolve(event.data as ArrayBuffer);
      ws.onerror = () => reject(new Error("port-forward websocket failed"));
    });
    ws.close();
    expect([...new Uint8Array(echoed)]).toEqual([0x52, 0x46, 0x42, 0x20]);
  });
});
