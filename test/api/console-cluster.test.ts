/**
 * The console of an Orchard cluster VM through the real server process: the ticket (404, 409
 * for a VM that is not running), then the browser's websocket relayed over the fake
 * controller's port-forward (pinned TLS, Basic auth) to a real VNC server (TigerVNC) standing
 * for the guest's Screen Sharing on port 5900: its RFB greeting reaches the browser side and a
 * VNC login goes all the way through. The guard: single-use ticket bound to one cluster VM,
 * exact Origin. Orchard's refusals of the port-forward (404, 417) as the UI's close codes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CLOSE } from "../../src/ws/console-close-codes.ts";
import { createClusterVms, RUNNING_AND_FAILED } from "../support/cluster-vms.ts";
import { orchardHomeFor } from "../support/fake-orchard/cli-home.ts";
import { startFakeOrchard, type FakeOrchard } from "../support/fake-orchard/controller.ts";
import { rawUpgrade, rfbOverWebSocket } from "../support/rfb-client.ts";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { startVncServer, type VncServer } from "../support/vnc-server.ts";

const TOKEN = "cluster-console-token";
const GUEST_PASSWORD = "guestpw1";
let orchard: FakeOrchard;
let screen: VncServer;
let server: TestServer;
const forwarded: number[] = [];

beforeAll(async () => {
  screen = await startVncServer({ password: GUEST_PASSWORD });
  orchard = startFakeOrchard({
    tls: true,
    accounts: [{ name: "ops", token: TOKEN, roles: ["compute:read", "compute:write"] }],
    timings: { stepMs: 30 },
    forward: (_vm, port) => {
      forwarded.push(port);
      return port === 5900 ? { hostname: screen.host, port: screen.port } : null;
    },
  });
  orchard.cluster.addWorker("mini-1");
  orchard.cluster.missingImages.add("ghcr.io/acme/missing:latest");
  const home = orchardHomeFor(orchard, "farm", { name: "ops", token: TOKEN });
  server = await startServer({ env: { ORCHARD_HOME: home } });
  await createClusterVms(server, "farm", RUNNING_AND_FAILED); // "broken" fails, as meant
  expect(orchard.cluster.vms.get("mac")!.status).toBe("running");
  expect(orchard.cluster.vms.get("broken")!.status).toBe("failed");
}, 60_000);
afterAll(async () => {
  await stopAll();
  orchard?.stop();
  screen?.stop();
});

const ticket = async (vm: string) => {
  const response = await server.post(`/api/clusters/farm/vms/${vm}/console`);
  return { status: response.status, body: await response.json() };
};
const wsUrl = (path: string) => server.base.replace("http", "ws") + path;

describe("cluster VM console", () => {
  test("a ticket for a running VM, in screen-sharing mode; 404 for no such VM, 409 for a failed one", async () => {
    const ok = await ticket("mac");
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ mode: "screen-sharing", expires_in: 30, credentials: null });
    expect(ok.body.ws_url).toStartWith("/api/clusters/farm/vms/mac/console/ws?ticket=");
    const missing = await ticket("nope");
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain("No VM named nope on cluster farm");
    const failed = await ticket("broken");
    expect(failed.status).toBe(409);
    expect(failed.body.detail).toContain("Cluster VM broken is failed");
    expect((await server.post("/api/clusters/nowhere/vms/mac/console")).status).toBe(404);
    expect((await server.fetch("/api/clusters/farm/vms/mac/console", { method: "POST", token: null })).status).toBe(401);
  });

  test("the VNC server's greeting reaches the browser's websocket through the controller's port-forward, and a login goes through", async () => {
    const { body } = await ticket("mac");
    const socket = new WebSocket(wsUrl(body.ws_url), { headers: { Origin: server.base } } as any);
    socket.binaryType = "arraybuffer";
    const greeting = await new Promise<string>((resolve, reject) => {
      socket.onmessage = (event) => resolve(new TextDecoder().decode(event.data as ArrayBuffer));
      socket.onclose = (event) => reject(new Error(`closed ${event.code} ${event.reason}`));
    });
    socket.close();
    expect(greeting).toBe("RFB 003.008\n");
    expect(forwarded).toContain(5900);
    const port5900 = orchard.requests.filter((r) => r.path.includes("/port-forward"));
    expect(port5900.at(-1)!.path).toBe("/v1/vms/mac/port-forward?port=5900&wait=10");
    expect(port5900.at(-1)!.userAgent).not.toStartWith("Orchard/0");

    // The whole way: the viewer logs in to the guest's own VNC server (the server does not).
    const rfb = await rfbOverWebSocket(wsUrl((await ticket("mac")).body.ws_url), server.base, GUEST_PASSWORD);
    expect(rfb.init).toMatchObject({ width: 1024, height: 768 });
    // A whole screen of raw pixels (3 MB) comes back through both websockets intact.
    const update = await rfb.fullUpdate();
    expect(update.bytes).toBe(1024 * 768 * 4);
    rfb.close();
  });

  test("the guard: a ticket is used once, for its cluster VM only, from the app's exact Origin", async () => {
    const path = async () => (await ticket("mac")).body.ws_url as string;
    const used = await path();
    expect((await rawUpgrade(server.port, used, { Origin: server.base })).status).toBe(101);
    const reused = await rawUpgrade(server.port, used, { Origin: server.base });
    expect(reused.status).toBe(403);
    expect(reused.text).toContain("POST /api/clusters/{cluster}/vms/{name}/console");
    expect((await rawUpgrade(server.port, (await path()).replace("/vms/mac/", "/vms/broken/"), { Origin: server.base })).status).toBe(403);
    // A local VM's ticket does not open a cluster VM's console, nor the other way round.
    const local = (await path()).replace("/api/clusters/farm/vms/mac/", "/api/vms/mac/");
    expect((await rawUpgrade(server.port, local, { Origin: server.base })).status).toBe(403);
    expect((await rawUpgrade(server.port, await path(), { Origin: "http://evil.example" })).status).toBe(403);
    expect((await rawUpgrade(server.port, await path(), { Origin: "" })).status).toBe(403);
    expect((await rawUpgrade(server.port, "/api/clusters/farm/vms/mac/console/ws", { Origin: server.base })).status).toBe(403);
  });

  test("Orchard's refusals of the port-forward close the console with a code the UI explains", async () => {
    const closeOf = async (path: string) => {
      const socket = new WebSocket(wsUrl(path), { headers: { Origin: server.base } } as any);
      return new Promise<{ code: number; reason: string }>((resolve) => (socket.onclose = (event) => resolve({ code: event.code, reason: event.reason })));
    };
    // 417: the VM failed between the ticket and the socket.
    const failing = (await ticket("mac")).body.ws_url;
    const vm = orchard.cluster.vms.get("mac")!;
    orchard.cluster.fail(vm, "worker lost");
    expect(await closeOf(failing)).toEqual({ code: CLOSE.clusterVmFailed, reason: "VM is in a terminal state" });
    // 404: it was deleted.
    const second = await server.post("/api/clusters/farm/vms", { name: "mac2", image: "ghcr.io/cirruslabs/macos-tahoe-base:latest" });
    await server.waitTask((await second.json()).id, 20_000);
    const gone = (await ticket("mac2")).body.ws_url;
    expect((await server.fetch("/api/clusters/farm/vms/mac2", { method: "DELETE" })).status).toBe(200);
    expect(await closeOf(gone)).toEqual({ code: CLOSE.clusterVmGone, reason: "no such VM on the cluster" });
  });
});
