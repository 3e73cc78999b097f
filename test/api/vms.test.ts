// The inventory routes against a real server process and the fake tart: every VM field, OCI
// names raw and percent-encoded, the categorised view, configs in the API's units, and 404s.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { bunBinDir, FAKE_TART, startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;
const OCI = "ghcr.io/cirruslabs/seed-image-1:latest"; // what the seed pulls

beforeAll(async () => {
  server = await startServer({ seed: { local: 3, running: 1, oci: 1 } });
  await server.post("/api/vms/refresh");
});
afterAll(stopAll);

const VM_FIELDS = ["name", "status", "ip_address", "source", "os", "cpu", "memory", "disk_size", "display"];

describe("GET /api/vms", () => {
  test("lists local VMs and each pulled image once, with every field of the API's VM model", async () => {
    const vms = await server.get<any[]>("/api/vms");
    const names = vms.map((vm) => vm.name);
    expect(names.filter((name) => name.startsWith("vm-"))).toHaveLength(3);
    const oci = vms.filter((vm) => vm.kind === "oci");
    expect(oci).toHaveLength(1); // tag and @sha256 digest shown as one image
    expect(oci[0].digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    for (const vm of vms) for (const field of VM_FIELDS) expect(vm).toHaveProperty(field);
    const running = vms.find((vm) => vm.status === "running");
    expect(running.ip_address).toMatch(/^192\.168\.64\.\d+$/);
    expect(running.state).toBe("running");
    const stopped = vms.find((vm) => vm.kind === "local" && vm.status === "stopped");
    expect(stopped.ip_address).toBeNull();
    expect(typeof stopped.disk_size).toBe("number");
  });

  test("fills CPU, memory, OS and display from tart get", async () => {
    let vm: any;
    for (let i = 0; i < 50; i++) {
      vm = (await server.get<any[]>("/api/vms")).find((v) => v.name === "vm-0001");
      if (vm.cpu !== null) break;
      await Bun.sleep(50);
    }
    expect(vm.cpu).toBe(4);
    expect(vm.memory).toBe("8G");
    expect(vm.os).toBe("darwin");
    expect(vm.display).toMatch(/^\d+x\d+/);
  });

  test("categorized splits base images from working VMs", async () => {
    const summary = await server.get("/api/vms/categorized");
    expect(summary.base_images.map((vm: any) => vm.kind)).toEqual(["oci"]);
    expect(summary.working_vms.every((vm: any) => vm.kind === "local")).toBe(true);
    expect(summary.working_vms).toHaveLength(3);
  });

  test("refreshes asked for while one runs share the one run after it", async () => {
    server.setKnobs({ latency_ms: { list: 300 } });
    const lists = () => server.argvLog().filter((argv) => argv[0] === "list").length;
    const before = lists();
    const first = server.post("/api/vms/refresh");
    await Bun.sleep(100); // the first run is under way: the others may not join it
    const responses = await Promise.all([first, ...[1, 2, 3, 4].map(() => server.post("/api/vms/refresh"))]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(lists() - before).toBe(2);
    server.setKnobs({ latency_ms: 0 });
  });

  test("a refresh asked while one runs reflects tart as it is after the request", async () => {
    // The running refresh has read `tart list` and is waiting on `tart ip` when a VM appears
    // outside the app; a refresh asked after that must list it.
    server.setKnobs({ latency_ms: { ip: 800 } });
    const running = server.post("/api/vms/refresh");
    for (let i = 0; i < 100 && !server.argvLog().some((argv) => argv[0] === "ip"); i++) await Bun.sleep(10);
    const outside = Bun.spawnSync([FAKE_TART, "clone", "vm-0002", "made-outside"], {
      env: { PATH: `${bunBinDir()}:/usr/bin:/bin`, TART_HOME: server.tartHome },
    });
    expect(outside.exitCode).toBe(0);
    const after = await server.post("/api/vms/refresh");
    server.setKnobs({ latency_ms: 0 });
    expect((await after.json()).map((vm: { name: string }) => vm.name)).toContain("made-outside");
    await running;
    const deleted = await (await server.post("/api/vms/made-outside/delete")).json();
    expect((await server.waitTask(deleted.id)).status).toBe("completed");
  });

  test("an unchanged list answers its ETag with a bodiless 304", async () => {
    const first = await server.fetch("/api/vms");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-z]+"$/);
    expect(first.headers.get("cache-control")).toBe("no-cache");
    const body = await first.text();
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const again = await server.fetch("/api/vms", { headers: { "if-none-match": ifNoneMatch } });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(await again.text()).toBe("");
    }
    // Browsers add Cache-Control: no-cache to conditional fetches; that is for caches, not us.
    const browserLike = await server.fetch("/api/vms", { headers: { "if-none-match": etag, "cache-control": "no-cache" } });
    expect(browserLike.status).toBe(304);
    const stale = await server.fetch("/api/vms", { headers: { "if-none-match": '"not-it"' } });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe(body);
  });

  test("a refresh that finds nothing new keeps the ETag", async () => {
    // No running VM here: `tart ip` updates a running VM's Accessed date, a real change.
    const quiet = await startServer({ seed: { local: 3, running: 0 } });
    // The first refreshes do change something: the background `tart get`s touch Accessed.
    let etag = "";
    for (let i = 0; i < 20; i++) {
      await Bun.sleep(100);
      await quiet.post("/api/vms/refresh");
      const next = (await quiet.fetch("/api/vms")).headers.get("etag")!;
      if (next === etag) break;
      etag = next;
    }
    expect((await quiet.post("/api/vms/refresh")).status).toBe(200);
    expect((await quiet.fetch("/api/vms", { headers: { "if-none-match": etag } })).status).toBe(304);
    await quiet.stop();
  });

  test("a changed list gets a new ETag", async () => {
    const before = (await server.fetch("/api/vms")).headers.get("etag")!;
    const task = await (await server.post("/api/vms/vm-0002/clone", { new_name: "etag-clone" })).json();
    expect((await server.waitTask(task.id)).status).toBe("completed");
    await server.post("/api/vms/refresh");
    const after = await server.fetch("/api/vms", { headers: { "if-none-match": before } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before);
    expect((await after.json()).map((vm: { name: string }) => vm.name)).toContain("etag-clone");
    const deleted = await (await server.post("/api/vms/etag-clone/delete")).json();
    expect((await server.waitTask(deleted.id)).status).toBe("completed");
    await server.post("/api/vms/refresh");
  });

  test("refresh returns the refreshed list", async () => {
    const response = await server.post("/api/vms/refresh", {});
    expect(response.status).toBe(200);
    expect((await response.json()).length).toBe(4);
  });
});

describe("GET /api/vms/{name}", () => {
  test("a local VM by name", async () => {
    expect((await server.get("/api/vms/vm-0002")).name).toBe("vm-0002");
  });

  test("an OCI name raw and percent-encoded", async () => {
    const raw = await server.fetch(`/api/vms/${OCI}`);
    expect(raw.status).toBe(200);
    expect((await raw.json()).name).toBe(OCI);
    const encoded = await server.fetch(`/api/vms/${encodeURIComponent(OCI)}`);
    expect(encoded.status).toBe(200);
    expect((await encoded.json()).name).toBe(OCI);
  });

  test("unknown VM is 404 with a detail", async () => {
    const response = await server.fetch("/api/vms/nope");
    expect(response.status).toBe(404);
    expect((await response.json()).detail).toContain("nope");
  });

  test("an unknown route is a JSON 404", async () => {
    const response = await server.fetch("/api/nothing/here");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: "Not Found" });
  });
});

describe("GET /api/vms/{name}/config", () => {
  test("normalised units and the raw JSON", async () => {
    const config = await server.get("/api/vms/vm-0001/config");
    expect(config).toMatchObject({ name: "vm-0001", cpu: 4, memory: "8G", disk_size: "50G" });
    expect(config.raw.Memory).toBe(8192);
    expect(config.raw.CPU).toBe(4);
  });

  test("is cached, and force_refresh asks tart again", async () => {
    await server.get("/api/vms/vm-0003/config");
    const before = server.argvLog().filter((argv) => argv[0] === "get" && argv[1] === "vm-0003").length;
    await server.get("/api/vms/vm-0003/config");
    expect(server.argvLog().filter((argv) => argv[0] === "get" && argv[1] === "vm-0003").length).toBe(before);
    await server.get("/api/vms/vm-0003/config?force_refresh=true");
    expect(server.argvLog().filter((argv) => argv[0] === "get" && argv[1] === "vm-0003").length).toBe(before + 1);
  });

  test("an OCI image has no config (409), raw and encoded", async () => {
    for (const path of [`/api/vms/${OCI}/config`, `/api/vms/${encodeURIComponent(OCI)}/config`]) {
      const response = await server.fetch(path);
      expect(response.status).toBe(409);
      expect((await response.json()).detail).toContain("OCI image");
    }
  });

  test("unknown VM is 404", async () => {
    expect((await server.fetch("/api/vms/ghost/config")).status).toBe(404);
  });
});
