/**
 * The fake Orchard controller against the spec (orchard.md): its auth answers, validation, VM
 * lifecycle through the NDJSON watch, events paging, port-forward and TLS. The app's tests trust
 * it as the contract, so it is tested on its own, over real HTTP, TLS and websockets.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFakeOrchard, type FakeOrchard } from "../support/fake-orchard/controller.ts";

const basic = (name: string, token: string) => ({ authorization: `Basic ${btoa(`${name}:${token}`)}` });

describe("fake Orchard controller, auth on", () => {
  let orchard: FakeOrchard;
  let admin: Record<string, string>;
  beforeAll(() => {
    orchard = startFakeOrchard({ accounts: [{ name: "reader", token: "r-token", roles: ["compute:read"] }] });
    orchard.cluster.addWorker("mac-mini-1");
    admin = basic("bootstrap-admin", orchard.accounts.get("bootstrap-admin")!.token);
  });
  afterAll(() => orchard.stop());
  const call = (path: string, init: RequestInit = {}) => fetch(`${orchard.url}/v1${path}`, init);
  const post = (path: string, body: unknown, headers = admin) => call(path, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });

  test("no credentials and wrong credentials are 401 with an empty body; a missing role names it", async () => {
    for (const headers of [{}, basic("bootstrap-admin", "wrong"), basic("nobody", "x")]) {
      const response = await call("/vms", { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe("");
    }
    const denied = await post("/vms", { name: "a", image: "x" }, basic("reader", "r-token"));
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ message: "all of the following roles must be present: compute:write" });
    expect((await call("/vms", { headers: basic("reader", "r-token") })).status).toBe(200);
    expect((await call("/", {})).status).toBe(200);
  });

  test("validation is 412 with Orchard's messages; bad JSON 400; duplicates 409; unknown routes plain 404", async () => {
    const cases: [unknown, number, string][] = [
      [{ image: "x" }, 412, "VM name is empty"],
      [{ name: "a b", image: "x" }, 412, "VM name name contains restricted characters, please only use [A-Za-z0-9:-_.]"],
      [{ name: "a" }, 412, "VM image is empty"],
      [{ name: "a", image: "x", restart_policy: "Sometimes" }, 412, 'unsupported restart policy: "Sometimes"'],
      [{ name: "a", image: "x", cpu: "four" }, 400, "invalid JSON was provided"],
    ];
    for (const [body, status, message] of cases) {
      const response = await post("/vms", body);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ message });
    }
    expect((await post("/vms", { name: "dup", image: "img" })).status).toBe(200);
    const again = await post("/vms", { name: "dup", image: "img" });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ message: "VM with this name already exists" });
    const missing = await call("/vms/nope", { headers: admin });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("");
    const unknown = await call("/nothing", { headers: admin });
    expect([unknown.status, await unknown.text()]).toEqual([404, "404 page not found"]);
  });

  test("a VM goes pending → running through the watch stream, its startup script's lines become paged events", async () => {
    const created = await post("/vms", { name: "ci-1", image: "ghcr.io/cirruslabs/macos-sequoia-base:latest", cpu: 4, memory: 8192, startup_script: { script_content: "one\ntwo\nthree" } });
    const vm = await created.json();
    expect(vm).toMatchObject({ status: "pending", powerState: "running", restart_policy: "Never", scheduled_at: "0001-01-01T00:00:00Z", generation: 0, resources: { "org.cirruslabs.tart-vms": 1 } });
    expect(vm.version).toBeUndefined();
    expect(Object.keys(vm).slice(0, 3)).toEqual(["image", "imagePullPolicy", "cpu"]);

    const watch = await call("/vms/ci-1?watch=true", { headers: admin });
    expect(watch.headers.get("content-type")).toBe("application/x-ndjson");
    const reader = watch.body!.getReader();
    const seen: any[] = [];
    let buffer = "";
    while (!seen.some((m) => m.object.status === "running")) {
      const { value } = await reader.read();
      buffer += new TextDecoder().decode(value);
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      seen.push(...lines.map((line) => JSON.parse(line)));
    }
    await reader.cancel();
    expect(seen[0].type).toBe("ADDED");
    const messages = seen.map((m) => m.object.status_message).filter(Boolean);
    expect(messages).toEqual(expect.arrayContaining(["cloning VM...", "configuring VM...", "VM started, running startup script..."]));
    const running = seen.at(-1).object;
    expect(running).toMatchObject({ worker: "mac-mini-1", assignedCPU: 4, assignedMemory: 8192 });
    expect(Date.parse(running.started_at)).toBeGreaterThan(0);
    expect(running.version).toBeGreaterThan(vm.version ?? 0);

    await Bun.sleep(200);
    const first = await call("/vms/ci-1/events?limit=2", { headers: admin });
    expect((await first.json()).map((e: any) => e.payload)).toEqual(["one", "two"]);
    const cursor = first.headers.get("x-next-cursor")!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await call(`/vms/ci-1/events?limit=2&cursor=${cursor}`, { headers: admin });
    expect((await second.json()).map((e: any) => e.payload)).toEqual(["three"]);
    expect(second.headers.get("x-next-cursor")).toBeNull();
    const tail = await call("/vms/ci-1/events?limit=1&order=desc", { headers: admin });
    expect((await tail.json())[0]).toMatchObject({ kind: "log_line", payload: "three" });
    const bad = await call("/vms/ci-1/events?limit=0", { headers: admin });
    expect([bad.status, await bad.json()]).toEqual([400, { message: 'invalid limit "0": expected positive integer' }]);
  });

  test("stop is a one-way powerState change; a failed VM refuses updates; delete answers the watch with DELETED", async () => {
    const vm = await (await call("/vms/ci-1", { headers: admin })).json();
    const put = (body: unknown, headers: Record<string, string> = {}) => call("/vms/ci-1", { method: "PUT", headers: { ...admin, "content-type": "application/json", "user-agent": "test", ...headers }, body: JSON.stringify(body) });
    const partial = await put({ powerState: "stopped" });
    expect([partial.status, (await partial.json()).message]).toEqual([412, '"os", "arch" and "runtime" fields cannot be modified']);
    const stopped = await (await put({ ...vm, powerState: "stopped" })).json();
    expect(stopped.generation).toBe(1);
    const back = await put({ ...vm, powerState: "running" });
    expect((await back.json()).message).toBe('invalid "powerState" transition: cannot transition from a terminal power state');
    await Bun.sleep(200);
    const after = await (await call("/vms/ci-1", { headers: admin })).json();
    expect(after.observedGeneration).toBe(1);
    expect(after.conditions).toContainEqual({ type: "running", state: "false" });

    orchard.cluster.missingImages.add("ghcr.io/acme/none:latest");
    await post("/vms", { name: "broken", image: "ghcr.io/acme/none:latest" });
    await Bun.sleep(300);
    const broken = await (await call("/vms/broken", { headers: admin })).json();
    expect(broken.status).toBe("failed");
    expect(broken.status_message).toStartWith("failed to clone the VM:");
    const refused = await call("/vms/broken", { method: "PUT", headers: { ...admin, "user-agent": "test" }, body: JSON.stringify({ ...broken, powerState: "stopped" }) });
    expect((await refused.json()).message).toBe("cannot update VM in a terminal state");

    const watch = await call("/vms/broken?watch=true", { headers: admin });
    const reader = watch.body!.getReader();
    await reader.read(); // ADDED
    expect((await call("/vms/broken", { method: "DELETE", headers: admin })).status).toBe(200);
    const { value } = await reader.read();
    const deleted = JSON.parse(new TextDecoder().decode(value).trim());
    expect(deleted.type).toBe("DELETED");
    expect(deleted.object).toMatchObject({ generation: 0, createdAt: "0001-01-01T00:00:00Z" });
    await reader.cancel();
    expect((await call("/vms/broken", { method: "DELETE", headers: admin })).status).toBe(404);
  });

  test("workers: scheduling paused through GET → modify → PUT, and a paused worker gets no VM", async () => {
    const [worker] = await (await call("/workers", { headers: admin })).json();
    expect(worker).toMatchObject({ name: "mac-mini-1", arch: "arm64", resources: { "org.cirruslabs.tart-vms": 2 } });
    const paused = await call("/workers/whatever", { method: "PUT", headers: admin, body: JSON.stringify({ ...worker, scheduling_paused: true }) });
    expect((await paused.json()).scheduling_paused).toBe(true);
    await post("/vms", { name: "waits", image: "img" });
    await Bun.sleep(200);
    expect((await (await call("/vms/waits", { headers: admin })).json()).status).toBe("pending");
  });

  test("port-forward: 400 empty for a bad port, 408 while not running, then raw bytes both ways in binary frames", async () => {
    const bad = await call("/vms/ci-1/port-forward?port=0", { headers: admin });
    expect([bad.status, await bad.text()]).toEqual([400, ""]);
    const waiting = await call("/vms/waits/port-forward?port=22&wait=0", { headers: admin });
    expect([waiting.status, await waiting.json()]).toEqual([408, { message: "VM is not running on '' worker" }]);
    orchard.cluster.addWorker("mac-mini-2");
    await post("/vms", { name: "forwarded", image: "img" });
    const ws = new WebSocket(`${orchard.url.replace("http", "ws")}/v1/vms/forwarded/port-forward?port=22&wait=10`, { headers: { ...admin, "user-agent": "test" } } as any);
    ws.binaryType = "arraybuffer";
    const reply = await new Promise<unknown>((resolve, reject) => {
      ws.onopen = () => ws.send(new TextEncoder().encode("SSH-2.0-test\r\n"));
      ws.onmessage = (event) => resolve(event.data);
      ws.onerror = () => reject(new Error("websocket failed"));
    });
    ws.close();
    expect(reply).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(reply as ArrayBuffer)).toBe("SSH-2.0-test\r\n");
  });
});

describe("fake Orchard controller, dev mode and TLS", () => {
  test("dev mode needs no credentials, but a stale Basic header is still 401", async () => {
    const dev = startFakeOrchard({ authDisabled: true });
    try {
      expect((await fetch(`${dev.url}/v1/vms`)).status).toBe(200);
      const stale = await fetch(`${dev.url}/v1/vms`, { headers: basic("old", "token") });
      expect([stale.status, await stale.text()]).toEqual([401, ""]);
    } finally {
      dev.stop();
    }
  });

  test("TLS: a self-signed orchard-controller certificate, trusted only as a pinned CA with that server name", async () => {
    const secure = startFakeOrchard({ tls: true, adminToken: "t" });
    try {
      expect(secure.url).toStartWith("https://127.0.0.1:");
      expect(secure.certificate!.fingerprint).toMatch(/^([0-9A-F]{2} ){31}[0-9A-F]{2}$/);
      await expect(fetch(`${secure.url}/v1/controller/info`)).rejects.toThrow();
      await expect(fetch(`${secure.url}/v1/controller/info`, { tls: { ca: secure.certificate!.cert } })).rejects.toThrow(); // 127.0.0.1 is not in the cert
      const info = await fetch(`${secure.url}/v1/controller/info`, { headers: basic("bootstrap-admin", "t"), tls: { ca: secure.certificate!.cert, serverName: "orchard-controller" } });
      expect(await info.json()).toMatchObject({ version: "0.55.0", capabilities: expect.arrayContaining(["rpc-v2"]) });
    } finally {
      secure.stop();
    }
  });
});

describe("fake Orchard controller, workers going away", () => {
  test("a worker silent past the offline timeout fails its VMs; OnFailure brings one back pending with restart_count 1", async () => {
    const orchard = startFakeOrchard({ authDisabled: true, timings: { stepMs: 20, heartbeatMs: 20, offlineTimeoutMs: 150, restartDelayMs: 100 } });
    try {
      orchard.cluster.addWorker("w1");
      const post = (body: unknown) => fetch(`${orchard.url}/v1/vms`, { method: "POST", body: JSON.stringify(body) });
      await post({ name: "plain", image: "img" });
      await post({ name: "again", image: "img", restart_policy: "OnFailure" });
      await Bun.sleep(150);
      orchard.cluster.silent.add("w1");
      await Bun.sleep(300);
      const plain = await (await fetch(`${orchard.url}/v1/vms/plain`)).json();
      expect(plain).toMatchObject({ status: "failed", status_message: "VM is assigned to a worker that lost connection with the controller" });
      await Bun.sleep(200);
      const again = await (await fetch(`${orchard.url}/v1/vms/again`)).json();
      expect(again).toMatchObject({ status: "pending", restart_count: 1 });
      expect(again.localName).toEndWith("-1");
    } finally {
      orchard.stop();
    }
  });
});
