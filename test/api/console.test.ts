// The browser console's server side over real HTTP and websockets: a start with {"console": true}
// runs `tart run --no-graphics --vnc-experimental`, whose fake starts a real VNC server (TigerVNC,
// with tart's kind of password); the ticket, the websocket guards, the proxy's own VNC login
// (the browser sees security type None), one viewer per VM, close codes, the password kept out of
// every log, task and response, a restarted server that still reaches the console, and tart that
// never prints its line ("console unavailable").
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { rawUpgrade, rfbOverWebSocket } from "../support/rfb-client.ts";
import { setRootColour } from "../support/vnc-server.ts";

let server: TestServer;
const VM = "vm-0004"; // a Linux guest
const OTHER = "vm-0008"; // Linux too, started the seed's way

beforeAll(async () => {
  server = await startServer({ seed: { local: 8, running: 0 }, knobs: { vm_limit: 0 } });
  await server.post("/api/vms/refresh");
  for (let i = 0; i < 200 && (await server.get<any[]>("/api/vms")).some((vm) => vm.os === null); i++) await Bun.sleep(50);
}, 30_000);
afterAll(stopAll);

const origin = () => server.base;
const wsBase = () => server.base.replace("http", "ws");

async function startWithConsole(name: string) {
  const task = await server.startTask(`/api/vms/${name}/start`, { console: true });
  return server.waitTask(task.id, 30_000);
}

async function ticket(name: string) {
  const response = await server.post(`/api/vms/${name}/console`);
  return { status: response.status, body: await response.json() };
}

const savedPassword = (dataDir: string, name: string): string => JSON.parse(readFileSync(join(dataDir, "consoles.json"), "utf8"))[name].password;
const guestScreen = (name: string) => JSON.parse(readFileSync(join(server.tartHome, "vms", name, "fake-vnc.json"), "utf8"));

describe("a start with the console", () => {
  let task: any;
  beforeAll(async () => {
    task = await startWithConsole(VM);
  }, 40_000);

  test("runs tart's own VNC server and says the console is ready", () => {
    expect(task.status).toBe("completed");
    expect(task.command.slice(1)).toEqual(["run", "--no-graphics", "--vnc-experimental", VM]);
    expect(task.result).toMatchObject({ console: "ready", console_url: `/vms/${VM}/console` });
    expect(task.vm_name).toBe(VM);
  });

  test("keeps the password in a 0600 state file and nowhere else", async () => {
    const file = join(server.dataDir, "consoles.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = savedPassword(server.dataDir, VM);
    expect(password).toMatch(/^[a-z]+(-[a-z]+){3}$/);
    expect(task.logs.join("\n")).toMatch(/VNC server is running at vnc:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    const everywhere = [
      JSON.stringify(task),
      JSON.stringify(await server.get("/api/tasks")),
      JSON.stringify(await server.get(`/api/tasks/${task.id}`)),
      JSON.stringify(await server.get("/api/vms")),
      JSON.stringify((await ticket(VM)).body),
      server.output(),
      ...readdirSync(join(server.dataDir, "run-logs")).map((f) => readFileSync(join(server.dataDir, "run-logs", f), "utf8")),
      ...readdirSync(join(server.dataDir, "task-logs")).map((f) => readFileSync(join(server.dataDir, "task-logs", f), "utf8")),
    ];
    for (const text of everywhere) expect(text).not.toContain(password);
    // Not even its first 8 characters, which is all VNC auth uses.
    for (const text of everywhere) expect(text).not.toContain(password.slice(0, 8));
  });

  test("a ticket is 256 random bits for one VM, and the websocket speaks RFB with no login", async () => {
    const { status, body } = await ticket(VM);
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: "vnc-experimental", expires_in: 30 });
    expect(body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.ws_url).toBe(`/api/vms/${VM}/console/ws?ticket=${body.ticket}`);
    const rfb = await rfbOverWebSocket(wsBase() + body.ws_url, origin());
    expect(rfb.init).toMatchObject({ width: 1024, height: 768 });
    await setRootColour(guestScreen(VM).display, "#ff0000");
    await Bun.sleep(100);
    const first = await rfb.fullUpdate();
    expect(first.pixelAt(10, 10)).toEqual([255, 0, 0]);
    await setRootColour(guestScreen(VM).display, "#00ff00");
    await Bun.sleep(100);
    expect((await rfb.fullUpdate()).pixelAt(10, 10)).toEqual([0, 255, 0]);
    rfb.close();
  });

  test("refused with 403: a reused ticket, a ticket of another VM, a foreign or missing Origin, a foreign Host", async () => {
    const path = async (name = VM) => (await ticket(name)).body.ws_url as string;
    const used = await path();
    expect((await rawUpgrade(server.port, used, { Origin: origin() })).status).toBe(101);
    const reused = await rawUpgrade(server.port, used, { Origin: origin() });
    expect(reused.status).toBe(403);
    expect(reused.text).toContain("ticket invalid, expired or already used");
    const foreignVm = (await path()).replace(`/vms/${VM}/`, `/vms/${OTHER}/`);
    expect((await rawUpgrade(server.port, foreignVm, { Origin: origin() })).status).toBe(403);
    expect((await rawUpgrade(server.port, await path(), { Origin: "http://evil.example" })).status).toBe(403);
    expect((await rawUpgrade(server.port, await path(), { Origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await rawUpgrade(server.port, await path(), { Origin: "" })).status).toBe(403);
    expect((await rawUpgrade(server.port, await path(), { Origin: origin(), Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await rawUpgrade(server.port, `/api/vms/${VM}/console/ws`, { Origin: origin() })).status).toBe(403);
    // The ticket route itself is behind the token.
    expect((await server.fetch(`/api/vms/${VM}/console`, { method: "POST", token: null })).status).toBe(401);
  });

  test("a subprotocol: binary is answered, base64 alone is refused", async () => {
    const binary = await rawUpgrade(server.port, (await ticket(VM)).body.ws_url, { Origin: origin(), "Sec-WebSocket-Protocol": "base64, binary" });
    expect(binary.status).toBe(101);
    expect(binary.text.toLowerCase()).toContain("sec-websocket-protocol: binary");
    expect((await rawUpgrade(server.port, (await ticket(VM)).body.ws_url, { Origin: origin(), "Sec-WebSocket-Protocol": "base64" })).status).toBe(403);
  });

  test("a second viewer replaces the first, which is told why (4003)", async () => {
    const first = await rfbOverWebSocket(wsBase() + (await ticket(VM)).body.ws_url, origin());
    const second = await rfbOverWebSocket(wsBase() + (await ticket(VM)).body.ws_url, origin());
    expect(await first.closed).toEqual({ code: 4003, reason: "replaced by another viewer" });
    expect(second.init.width).toBe(1024);
    second.close();
  });

  test("a text frame closes with 1003", async () => {
    const rfb = await rfbOverWebSocket(wsBase() + (await ticket(VM)).body.ws_url, origin());
    rfb.socket.send("hello");
    expect((await rfb.closed).code).toBe(1003);
  });

  test("a restarted server still reaches the console of the VM it started", async () => {
    const dataDir = server.dataDir;
    const tartHome = server.tartHome;
    const next = await startServer({ dataDir, tartHome, knobs: { vm_limit: 0 } });
    await next.post("/api/vms/refresh");
    const response = await next.post(`/api/vms/${VM}/console`);
    expect(response.status).toBe(200);
    const rfb = await rfbOverWebSocket(next.base.replace("http", "ws") + (await response.json()).ws_url, next.base);
    expect(rfb.init.width).toBe(1024);
    rfb.close();
    await next.stop();
  }, 30_000);

  test("a password tart's VNC server refuses closes the console with 4001, naming no secret", async () => {
    const { dataDir, tartHome } = server;
    const file = join(dataDir, "consoles.json");
    const saved = readFileSync(file, "utf8");
    const state = JSON.parse(saved);
    state[VM].password = "wrongpass-" + state[VM].password;
    writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
    try {
      const next = await startServer({ dataDir, tartHome, knobs: { vm_limit: 0 } });
      await next.post("/api/vms/refresh");
      const { ws_url } = await (await next.post(`/api/vms/${VM}/console`)).json();
      const socket = new WebSocket(next.base.replace("http", "ws") + ws_url, { headers: { Origin: next.base } } as any);
      const closed = await new Promise<CloseEvent>((resolve) => (socket.onclose = resolve));
      expect({ code: closed.code, reason: closed.reason }).toEqual({ code: 4001, reason: "upstream auth failed" });
      expect(next.output()).toContain("the VNC server refused the password");
      expect(next.output()).not.toContain(state[VM].password.slice(0, 8));
      await next.stop();
    } finally {
      writeFileSync(file, saved, { mode: 0o600 });
    }
  }, 30_000);

  test("the VNC server dying closes the console with 4000, and stopping the VM ends the console", async () => {
    const rfb = await rfbOverWebSocket(wsBase() + (await ticket(VM)).body.ws_url, origin());
    process.kill(guestScreen(VM).pid, "SIGKILL");
    expect((await rfb.closed).code).toBe(4000);
    const stop = await server.waitTask((await server.startTask(`/api/vms/${VM}/stop`)).id);
    expect(stop.status).toBe("completed");
    for (let i = 0; i < 50 && (await ticket(VM)).status === 200; i++) await Bun.sleep(100);
    const after = await ticket(VM);
    expect(after.status).toBe(409);
    expect(after.body.detail).toContain("is not running");
  }, 30_000);
});

describe("no console", () => {
  test("a VM that is not running, an unknown VM, a Linux VM started without the console", async () => {
    expect((await ticket("vm-0002")).status).toBe(409);
    expect((await ticket("nosuch")).status).toBe(404);
    const started = await server.waitTask((await server.startTask(`/api/vms/${OTHER}/start`)).id, 30_000);
    expect(started.command.slice(1)).toEqual(["run", "--vnc", "--no-graphics", OTHER]);
    expect(started.result.console).toBeUndefined();
    const refused = await ticket(OTHER);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('start it with the console');
  }, 40_000);

  test('tart that never prints its VNC line: the VM runs, the console is "unavailable"', async () => {
    const slow = await startServer({ seed: { local: 4, running: 0 }, knobs: { vnc_silent: true }, env: { TARTVM_TART_TIMEOUTS: '{"run": 1500}' } });
    const task = await slow.waitTask((await slow.startTask(`/api/vms/vm-0004/start`, { console: true })).id, 30_000);
    expect(task.status).toBe("completed");
    expect(task.result).toMatchObject({ console: "unavailable", console_url: null });
    expect(task.result.message).toContain("console unavailable");
    expect((await slow.post("/api/vms/vm-0004/console")).status).toBe(409);
    await slow.stop();
  }, 40_000);

  test("the console flag must be a boolean", async () => {
    const response = await server.post(`/api/vms/${VM}/start`, { console: "yes" });
    expect(response.status).toBe(422);
    expect((await response.json()).detail).toContain("console");
  });
});
