/**
 * Orchard clusters through the real server process over HTTP: two fake controllers (one TLS +
 * auth added in the app with trust on first use, one dev-mode from Orchard's orchard.yml), their
 * health, workers, VM lifecycle as Tasks, Orchard's errors as {"detail"}, and what the server
 * sends the controllers (Basic auth, User-Agent, request counts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeOrchard, type FakeOrchard } from "../support/fake-orchard/controller.ts";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

let secure: FakeOrchard;
let dev: FakeOrchard;
let server: TestServer;
let orchardHome: string;
const TOKEN = "s3cr3t-token-value";

beforeAll(async () => {
  secure = startFakeOrchard({ tls: true, accounts: [{ name: "ci", token: TOKEN, roles: ["compute:read", "compute:write"] }] });
  secure.cluster.addWorker("mac-mini-1", { labels: { pool: "ci" } });
  secure.cluster.addWorker("mac-mini-2");
  dev = startFakeOrchard({ authDisabled: true });
  dev.cluster.addWorker("dev-host");
  orchardHome = mkdtempSync(join(tmpdir(), "orchard-home-"));
  mkdirSync(join(orchardHome, ".orchard"));
  writeFileSync(join(orchardHome, ".orchard", "orchard.yml"), `default-context: local-dev\ncontexts:\n  local-dev:\n    url: ${dev.url}\n  "bad name!":\n    url: http://127.0.0.1:9\n`);
  server = await startServer({ env: { ORCHARD_HOME: orchardHome, TARTVM_ORCHARD_TIMEOUT_MS: "1500" } });
});
afterAll(async () => {
  await stopAll();
  secure.stop();
  dev.stop();
});

const del = (path: string) => server.fetch(path, { method: "DELETE" });

describe("clusters", () => {
  test("a CLI context is listed read-only with its health; a bad one is skipped with a warning", async () => {
    const { clusters } = await server.get("/api/clusters");
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ name: "local-dev", source: "orchard-cli", read_only: true, tls: false, health: { state: "ok", reachable: true, auth_ok: true, version: "0.55.0" } });
    await server.waitForOutput("bad name!");
    const refused = await del("/api/clusters/local-dev");
    expect(refused.status).toBe(409);
    expect((await refused.json()).detail).toContain("orchard context delete local-dev");
  });

  test("adding a TLS controller: its fingerprint is shown first, wrong credentials are refused, then it is pinned and stored 0600", async () => {
    const inspect = await server.post("/api/clusters/inspect", { url: secure.url.replace("https://", "") });
    expect(inspect.status).toBe(200);
    expect(await inspect.json()).toMatchObject({ url: secure.url, tls: true, trusted_by_system: false, certificate_fingerprint: secure.certificate!.fingerprint, certificate_subject: "CN=Orchard Controller" });

    const unconfirmed = await server.post("/api/clusters", { name: "farm", url: secure.url, service_account_name: "ci", service_account_token: TOKEN });
    expect(unconfirmed.status).toBe(409);
    expect((await unconfirmed.json()).detail).toContain(secure.certificate!.fingerprint);

    const fingerprint = secure.certificate!.fingerprint.toLowerCase().replace(/ /g, ":");
    const wrong = await server.post("/api/clusters", { name: "farm", url: secure.url, service_account_name: "ci", service_account_token: "nope", certificate_fingerprint: fingerprint });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).detail).toContain("refused service account ci");

    const added = await server.post("/api/clusters", { name: "farm", url: secure.url, service_account_name: "ci", service_account_token: TOKEN, certificate_fingerprint: fingerprint });
    const body = await added.json();
    expect(added.status).toBe(200);
    expect(body).toMatchObject({ name: "farm", source: "app", tls: true, certificate_fingerprint: secure.certificate!.fingerprint, health: { state: "ok", auth_ok: true } });
    expect(JSON.stringify(body)).not.toContain(TOKEN);
    const file = join(server.dataDir, "clusters.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain(TOKEN);
    expect(server.output()).not.toContain(TOKEN);
    // Orchard's client sends Basic auth and a User-Agent of its own; ours must never start with Orchard/0.
    const calls = secure.requests.filter((r) => r.path.startsWith("/v1/controller/info"));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((r) => r.userAgent?.startsWith("taartenfabriek/"))).toBe(true);
  });

  test("workers show capacity and online state; pause and resume scheduling", async () => {
    const { workers } = await server.get("/api/clusters/farm/workers");
    expect(workers.map((w: any) => w.name)).toEqual(["mac-mini-1", "mac-mini-2"]);
    expect(workers[0]).toMatchObject({ online: true, scheduling_paused: false, labels: { pool: "ci" }, resources: { "org.cirruslabs.tart-vms": 2 }, vm_count: 0 });
    const paused = await server.post("/api/clusters/farm/workers/mac-mini-2/pause");
    expect(await paused.json()).toMatchObject({ name: "mac-mini-2", scheduling_paused: true });
    expect(secure.cluster.workers.get("mac-mini-2")!.scheduling_paused).toBe(true);
    const resumed = await server.post("/api/clusters/farm/workers/mac-mini-2/resume");
    expect((await resumed.json()).scheduling_paused).toBe(false);
    expect((await server.post("/api/clusters/farm/workers/nobody/pause")).status).toBe(404);
  });

  test("create is a Task followed to running, its log from the status messages and the startup script's events", async () => {
    const task = await server.startTask("/api/clusters/farm/vms", { name: "ci-1", image: "ghcr.io/cirruslabs/macos-sequoia-base:latest", cpu: 4, memory: 8, startup_script: "echo one\necho two", labels: { pool: "ci" }, password: "guest-pass" });
    expect(task).toMatchObject({ action: "create_cluster_vm", vm_name: "farm/ci-1" });
    expect(["pending", "running"]).toContain(task.status);
    expect(Object.keys(task).sort()).toEqual(["action", "command", "created_at", "error", "exit_code", "id", "install_progress", "logs", "progress", "pull_progress", "result", "status", "stderr", "updated_at", "vm_name"]);
    const done = await server.waitTask(task.id);
    expect(done.status).toBe("completed");
    expect(done.result.vm).toMatchObject({ name: "ci-1", cluster: "farm", state: "running", worker: "mac-mini-1", cpu: 4, memory_mib: 8192 });
    expect(done.logs).toEqual(expect.arrayContaining(["[pending] cloning VM...", "[pending] configuring VM...", "[running] VM started, running startup script..."]));
    expect(secure.cluster.vms.get("ci-1")!.memory).toBe(8192);
    expect(JSON.stringify(done)).not.toContain("guest-pass");
    await Bun.sleep(1500); // the script's lines arrive after "running": a later task sees them
    const { vms } = await server.get("/api/clusters/farm/vms");
    expect(vms).toHaveLength(1);
    expect(vms[0]).toMatchObject({ name: "ci-1", state: "running", status: "running", image: "ghcr.io/cirruslabs/macos-sequoia-base:latest", restart_count: 0 });
    expect(Date.parse(vms[0].started_at)).toBeGreaterThan(0);
    expect(vms[0].scheduled_at).not.toBeNull();
  });

  test("Orchard's refusals are this server's {detail} with the controller's message", async () => {
    const duplicate = await server.post("/api/clusters/farm/vms", { name: "ci-1", image: "x" });
    expect([duplicate.status, await duplicate.json()]).toEqual([409, { detail: "VM with this name already exists" }]);
    const schema = await server.post("/api/clusters/farm/vms", { name: "a b", image: "x" });
    expect(schema.status).toBe(422);
    const missing = await server.post("/api/clusters/farm/vms/none/stop");
    expect([missing.status, await missing.json()]).toEqual([404, { detail: "No VM named none on cluster farm" }]);
    expect((await server.fetch("/api/clusters/nowhere/vms")).status).toBe(404);
    expect((await server.post("/api/clusters/farm/vms/a%20b/stop")).status).toBe(422); // checked before it reaches the controller
  });

  test("a failing VM fails its task with the worker's message", async () => {
    secure.cluster.missingImages.add("ghcr.io/acme/missing:latest");
    const task = await server.startTask("/api/clusters/farm/vms", { name: "broken", image: "ghcr.io/acme/missing:latest" });
    const done = await server.waitTask(task.id);
    expect(done.status).toBe("failed");
    expect(done.error).toStartWith("failed to clone the VM:");
  });

  test("stop is one-way and followed until the worker observed it, holding the VM; a second stop is refused; delete removes it", async () => {
    const stop = await server.startTask("/api/clusters/farm/vms/ci-1/stop");
    expect(stop.action).toBe("stop_cluster_vm");
    const during = await del("/api/clusters/farm/vms/ci-1"); // the worker has not observed the stop yet
    expect(during.status).toBe(409);
    expect((await during.json()).detail).toContain(`task ${stop.id} (stop_cluster_vm) is still running`);
    const stopped = await server.waitTask(stop.id);
    expect(stopped.status).toBe("completed");
    expect(stopped.result.vm.state).toBe("stopped");
    const again = await server.post("/api/clusters/farm/vms/ci-1/stop");
    expect([again.status, (await again.json()).detail]).toEqual([422, 'invalid "powerState" transition: cannot transition from a terminal power state']);
    const removal = await del("/api/clusters/farm/vms/ci-1");
    const removed = await server.waitTask((await removal.json()).id);
    expect(removed).toMatchObject({ action: "delete_cluster_vm", status: "completed" });
    expect(secure.cluster.vms.has("ci-1")).toBe(false);
    expect((await del("/api/clusters/farm/vms/ci-1")).status).toBe(404);
  });

  test("the VM list is coalesced: 20 concurrent reads cost the controller one request", async () => {
    await Bun.sleep(1100);
    const before = dev.requests.filter((r) => r.path === "/v1/vms").length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => server.fetch("/api/clusters/local-dev/vms")));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(dev.requests.filter((r) => r.path === "/v1/vms").length - before).toBe(1);
  });

  test("the VM list carries an ETag: an unchanged list is a 304 without a body, a changed one a new list", async () => {
    const first = await server.fetch("/api/clusters/farm/vms");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"\w+"$/);
    const names = (await first.json()).vms.map((vm: { name: string }) => vm.name);
    await Bun.sleep(1100); // a new controller answer, with the same VMs
    const same = await server.fetch("/api/clusters/farm/vms", { headers: { "if-none-match": etag } });
    expect([same.status, await same.text()]).toEqual([304, ""]);
    const task = await server.startTask("/api/clusters/farm/vms", { name: "etag-probe", image: "ghcr.io/cirruslabs/macos-sequoia-base:latest" });
    expect((await server.waitTask(task.id)).status).toBe("completed");
    const changed = await server.fetch("/api/clusters/farm/vms", { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((await changed.json()).vms.map((vm: { name: string }) => vm.name)).toEqual([...names, "etag-probe"].sort());
    const removal = await server.fetch("/api/clusters/farm/vms/etag-probe", { method: "DELETE" });
    expect((await server.waitTask((await removal.json()).id)).status).toBe("completed");
  });

  test("a hung or stopped controller is a clear state, never a 5xx cascade", async () => {
    dev.setHung(true);
    await Bun.sleep(5_100); // past the health cache
    const started = Date.now();
    const { clusters } = await server.get("/api/clusters");
    expect(Date.now() - started).toBeLessThan(3_000);
    const local = clusters.find((c: any) => c.name === "local-dev");
    expect(local.health).toMatchObject({ state: "timeout", reachable: false });
    const vms = await server.fetch("/api/clusters/local-dev/vms");
    expect(vms.status).toBe(504);
    expect((await vms.json()).detail).toContain("local-dev");
    dev.setHung(false);
    const gone = startFakeOrchard({ authDisabled: true });
    const url = gone.url;
    gone.stop();
    const refused = await server.post("/api/clusters", { name: "gone", url });
    expect(refused.status).toBe(502);
    expect((await refused.json()).detail).toContain("Cannot reach the Orchard controller");
  });

  test("removing an added cluster forgets it", async () => {
    expect((await del("/api/clusters/farm")).status).toBe(200);
    const { clusters } = await server.get("/api/clusters");
    expect(clusters.map((c: any) => c.name)).toEqual(["local-dev"]);
  });
});
