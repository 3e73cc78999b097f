// Screen Sharing mode: a macOS guest started the seed's way (`--vnc`) has no VNC server of ours;
// its console is the guest's own Screen Sharing on <guest-ip>:5900, relayed byte for byte, and
// the login (ARD on a real Mac, VNC auth here) is the viewer's to do. The fake guest's IP comes
// from a loopback /24 (the fake's `lease_subnet` knob), where a real VNC server listens on 5900.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { rfbOverWebSocket } from "../support/rfb-client.ts";
import { startVncServer, type VncServer } from "../support/vnc-server.ts";

let server: TestServer;
let guestScreen: VncServer;
const MAC = "vm-0001"; // a macOS guest
const SUBNET = `127.${10 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}`;
const GUEST_PASSWORD = "admin-screen-sharing";

beforeAll(async () => {
  server = await startServer({ seed: { local: 4, running: 0 }, knobs: { lease_subnet: SUBNET } });
  await server.post("/api/vms/refresh");
  for (let i = 0; i < 200 && (await server.get<any[]>("/api/vms")).some((vm) => vm.os === null); i++) await Bun.sleep(50);
  const started = await server.waitTask((await server.startTask(`/api/vms/${MAC}/start`)).id, 30_000);
  expect(started.result.ip_address).toStartWith(SUBNET);
  guestScreen = await startVncServer({ password: GUEST_PASSWORD, host: started.result.ip_address, port: 5900 });
}, 40_000);
afterAll(async () => {
  guestScreen?.stop();
  await stopAll();
});

test("the ticket says screen-sharing, and the viewer logs in to the guest itself through the relay", async () => {
  const response = await server.post(`/api/vms/${MAC}/console`);
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body.mode).toBe("screen-sharing");
  const rfb = await rfbOverWebSocket(server.base.replace("http", "ws") + body.ws_url, server.base, GUEST_PASSWORD);
  expect(rfb.init).toMatchObject({ width: 1024, height: 768 });
  rfb.close();
});

test("without the guest's password the viewer gets no further: the server does not log in for it", async () => {
  const body = await (await server.post(`/api/vms/${MAC}/console`)).json();
  await expect(rfbOverWebSocket(server.base.replace("http", "ws") + body.ws_url, server.base, null)).rejects.toThrow(/security None not offered/);
});

test("the guest login is remembered per VM only when asked, in a 0600 file, and forgotten on request", async () => {
  const ticket = async () => (await (await server.post(`/api/vms/${MAC}/console`)).json()).credentials;
  expect(await ticket()).toBeNull();
  const put = (body: unknown) =>
    server.fetch(`/api/vms/${MAC}/console/credentials`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect((await put({ username: "admin" })).status).toBe(422);
  expect((await put({ username: "admin", password: "admin" })).status).toBe(200);
  expect(await ticket()).toEqual({ username: "admin", password: "admin" });
  const file = `${server.dataDir}/screen-sharing-logins.json`;
  expect((await Bun.file(file).stat()).mode & 0o777).toBe(0o600);
  expect(JSON.stringify(await server.get("/api/vms"))).not.toContain('"password"');
  expect((await server.fetch(`/api/vms/${MAC}/console/credentials`, { method: "DELETE" })).status).toBe(200);
  expect(await ticket()).toBeNull();
  expect((await server.fetch(`/api/vms/${MAC}/console/credentials`, { method: "PUT", token: null, headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);
});
