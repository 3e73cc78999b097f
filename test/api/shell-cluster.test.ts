/**
 * The shell of an Orchard cluster VM through the real server process: the ticket (404, 409 for a
 * VM that is not running), then the browser's shell socket — the local shell's protocol exactly
 * (binary bytes, `{"type":"resize"}` text frames, 4005 with the exit code) — translated to the
 * fake controller's exec websocket (pinned TLS, Basic auth), whose command really runs here in
 * a real PTY. The guard: single-use ticket bound to one cluster VM, exact Origin. Orchard's
 * refusals (404, 417, 503) as close codes the UI explains.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CLOSE } from "../../src/ws/console-close-codes.ts";
import { createClusterVms, RUNNING_AND_FAILED } from "../support/cluster-vms.ts";
import { orchardHomeFor } from "../support/fake-orchard/cli-home.ts";
import { startFakeOrchard, type FakeOrchard } from "../support/fake-orchard/controller.ts";
import { rawUpgrade } from "../support/rfb-client.ts";
import { isAlive, openTerminal } from "../support/terminal-socket.ts";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

const TOKEN = "cluster-shell-token";
let orchard: FakeOrchard;
let server: TestServer;

beforeAll(async () => {
  orchard = startFakeOrchard({ tls: true, accounts: [{ name: "ops", token: TOKEN, roles: ["compute:read", "compute:write"] }], timings: { stepMs: 30 } });
  orchard.cluster.addWorker("mini-1");
  orchard.cluster.missingImages.add("ghcr.io/acme/missing:latest");
  server = await startServer({ env: { ORCHARD_HOME: orchardHomeFor(orchard, "farm", { name: "ops", token: TOKEN }) } });
  await createClusterVms(server, "farm", RUNNING_AND_FAILED); // "broken" fails, as meant
  expect(orchard.cluster.vms.get("mac")!.status).toBe("running");
}, 60_000);
afterAll(async () => {
  await stopAll();
  orchard?.stop();
});

const ticket = async (vm: string) => {
  const response = await server.post(`/api/clusters/farm/vms/${vm}/shell`);
  return { status: response.status, body: await response.json() };
};
const wsUrl = (path: string) => server.base.replace("http", "ws") + path;
const closeOf = (path: string) => {
  const socket = new WebSocket(wsUrl(path), { headers: { Origin: server.base } } as any);
  return new Promise<{ code: number; reason: string }>((resolve) => (socket.onclose = (event) => resolve({ code: event.code, reason: event.reason })));
};

async function openShell(vm: string, query = "") {
  const { body } = await ticket(vm);
  return openTerminal(wsUrl(body.ws_url + query), server.base);
}

describe("cluster VM shell", () => {
  test("a ticket for a running VM; 404 for no such VM or cluster, 409 for a failed one, 401 without the token", async () => {
    const ok = await ticket("mac");
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ expires_in: 30, shell: "login shell" });
    expect(ok.body.ws_url).toStartWith("/api/clusters/farm/vms/mac/shell/ws?ticket=");
    const missing = await ticket("nope");
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain("No VM named nope on cluster farm");
    const failed = await ticket("broken");
    expect(failed.status).toBe(409);
    expect(failed.body.detail).toContain("Cluster VM broken is failed");
    expect(failed.body.detail).toContain("only a running VM has a shell");
    expect((await server.post("/api/clusters/nowhere/vms/mac/shell")).status).toBe(404);
    expect((await server.fetch("/api/clusters/farm/vms/mac/shell", { method: "POST", token: null })).status).toBe(401);
  });

  test("typed keys reach the VM's login shell over the controller's exec; resize and the exit code pass through", async () => {
    const shell = await openShell("mac", "&cols=100&rows=30");
    shell.type("echo hi; stty size\r");
    await shell.waitFor(/\bhi\r?\n[\s\S]*30 100/);
    shell.socket.send(JSON.stringify({ type: "resize", cols: 120, rows: 40 }));
    await Bun.sleep(100);
    shell.type("stty size\r");
    await shell.waitFor(/40 120/);
    shell.type("exit 7\r");
    expect(await shell.closed).toEqual({ code: CLOSE.shellEnded, reason: "shell exited with 7" });
    expect(shell.textFrames()).toBe(0); // terminal bytes only, in binary frames, as the local shell
    const exec = orchard.requests.filter((r) => r.path.startsWith("/v1/vms/mac/exec")).at(-1)!;
    const query = new URL(exec.path, "http://x").searchParams;
    expect(Object.fromEntries(query)).toEqual({ command: 'exec "$SHELL" -l', interactive: "true", tty: "true", rows: "30", cols: "100", wait: "10" });
  }, 30_000);

  test("closing the page hangs the VM's shell up (the controller's exec socket closes, its command ends)", async () => {
    const shell = await openShell("mac");
    shell.type("echo pid=$$\r");
    const pid = Number(/pid=(\d+)/.exec(await shell.waitFor(/pid=\d+/))![1]);
    expect(isAlive(pid)).toBe(true);
    shell.socket.close();
    for (let i = 0; i < 100 && isAlive(pid); i++) await Bun.sleep(50);
    expect(isAlive(pid)).toBe(false);
  }, 20_000);

  test("the guard: a ticket is used once, for its cluster VM only, from the app's exact Origin", async () => {
    const path = async () => (await ticket("mac")).body.ws_url as string;
    const used = await path();
    expect((await rawUpgrade(server.port, used, { Origin: server.base })).status).toBe(101);
    const reused = await rawUpgrade(server.port, used, { Origin: server.base });
    expect(reused.status).toBe(403);
    expect(reused.text).toContain("POST /api/clusters/{cluster}/vms/{name}/shell");
    expect((await rawUpgrade(server.port, (await path()).replace("/vms/mac/", "/vms/broken/"), { Origin: server.base })).status).toBe(403);
    // A shell ticket opens no console, a local VM's shell socket takes no cluster ticket.
    expect((await rawUpgrade(server.port, (await path()).replace("/shell/ws", "/console/ws"), { Origin: server.base })).status).toBe(403);
    expect((await rawUpgrade(server.port, (await path()).replace("/api/clusters/farm/vms/mac/", "/api/vms/mac/"), { Origin: server.base })).status).toBe(403);
    expect((await rawUpgrade(server.port, await path(), { Origin: "http://evil.example" })).status).toBe(403);
    expect((await rawUpgrade(server.port, await path(), { Origin: "" })).status).toBe(403);
    expect((await rawUpgrade(server.port, "/api/clusters/farm/vms/mac/shell/ws", { Origin: server.base })).status).toBe(403);
  });

  test("Orchard's refusals of the exec close the shell with a code the UI explains", async () => {
    // 503: the controller cannot log in to the VM over SSH.
    orchard.cluster.sshRefused.add("mac");
    try {
      expect(await closeOf((await ticket("mac")).body.ws_url)).toEqual({ code: CLOSE.unreachable, reason: "the controller could not log in to the VM over SSH" });
    } finally {
      orchard.cluster.sshRefused.delete("mac");
    }
    // 404: deleted between the ticket and the socket.
    const second = await server.post("/api/clusters/farm/vms", { name: "mac2", image: "ghcr.io/cirruslabs/macos-tahoe-base:latest" });
    await server.waitTask((await second.json()).id, 20_000);
    const gone = (await ticket("mac2")).body.ws_url;
    expect((await server.fetch("/api/clusters/farm/vms/mac2", { method: "DELETE" })).status).toBe(200);
    expect(await closeOf(gone)).toEqual({ code: CLOSE.clusterVmGone, reason: "no such VM on the cluster" });
    // 417: the VM failed.
    const failing = (await ticket("mac")).body.ws_url;
    orchard.cluster.fail(orchard.cluster.vms.get("mac")!, "worker lost");
    expect(await closeOf(failing)).toEqual({ code: CLOSE.clusterVmFailed, reason: "VM is in a terminal state" });
  });
});
