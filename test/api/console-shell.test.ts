// The browser shell over a real websocket: `tart exec -i -t NAME /bin/bash` in a PTY of the
// server's, against the fake tart whose exec runs a real shell in a real PTY. Typed bytes
// reach the shell, a resize reaches its terminal (`stty size`), its exit closes the socket with
// 4005; a guest without the agent gets a 409 naming the ssh command; the guards are the console's.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { rawUpgrade } from "../support/rfb-client.ts";
import { isAlive, openTerminal } from "../support/terminal-socket.ts";

let server: TestServer;
const VM = "vm-0004"; // Linux: its shell is /bin/bash

beforeAll(async () => {
  server = await startServer({ seed: { local: 4, running: 0 } });
  await server.post("/api/vms/refresh");
  for (let i = 0; i < 200 && (await server.get<any[]>("/api/vms")).some((vm) => vm.os === null); i++) await Bun.sleep(50);
  const started = await server.waitTask((await server.startTask(`/api/vms/${VM}/start`)).id, 30_000);
  expect(started.status).toBe("completed");
}, 40_000);
afterAll(stopAll);

async function shellTicket(name = VM) {
  const response = await server.post(`/api/vms/${name}/shell`);
  return { status: response.status, body: await response.json() };
}

/** A terminal over the shell websocket: everything it printed, and a way to wait for text. */
async function openShell(query = "") {
  const { body } = await shellTicket();
  return openTerminal(server.base.replace("http", "ws") + body.ws_url + query, server.base);
}

describe("the shell", () => {
  test("runs tart exec -i -t with the guest's shell; keys, resize and exit pass through", async () => {
    const { status, body } = await shellTicket();
    expect(status).toBe(200);
    expect(body).toMatchObject({ shell: "/bin/bash", expires_in: 30 });
    const shell = await openShell("&cols=100&rows=30");
    shell.type("stty size; echo answer=$((6*7))\r");
    await shell.waitFor(/30 100[\s\S]*answer=42/);
    shell.socket.send(JSON.stringify({ type: "resize", cols: 120, rows: 40 }));
    await Bun.sleep(100);
    shell.type("stty size\r");
    await shell.waitFor(/40 120/);
    shell.type("exit 7\r");
    expect(await shell.closed).toEqual({ code: 4005, reason: "shell exited with 7" });
    const execs = server.argvLog().filter((argv) => argv[0] === "exec");
    expect(execs).toContainEqual(["exec", "-i", "-t", VM, "/bin/bash"]);
  }, 30_000);

  test("closing the page hangs the shell up", async () => {
    const shell = await openShell();
    shell.type("echo pid=$$\r");
    const pid = Number(/pid=(\d+)/.exec(await shell.waitFor(/pid=\d+/))![1]);
    shell.socket.close();
    for (let i = 0; i < 100 && isAlive(pid); i++) await Bun.sleep(50);
    expect(isAlive(pid)).toBe(false);
  }, 20_000);

  test("the same guards as the console: a ticket once, the exact Origin", async () => {
    const { body } = await shellTicket();
    expect((await rawUpgrade(server.port, body.ws_url, { Origin: "http://evil.example" })).status).toBe(403);
    const fresh = (await shellTicket()).body.ws_url;
    expect((await rawUpgrade(server.port, fresh, { Origin: "" })).status).toBe(403);
    const once = (await shellTicket()).body.ws_url;
    expect((await rawUpgrade(server.port, once, { Origin: server.base })).status).toBe(101);
    expect((await rawUpgrade(server.port, once, { Origin: server.base })).status).toBe(403);
  });

  test("without the guest agent: a 409 that says so and gives the ssh command", async () => {
    server.setKnobs({ exec_no_agent: true });
    try {
      const { status, body } = await shellTicket();
      expect(status).toBe(409);
      expect(body.detail).toContain("guest agent does not answer");
      expect(body.detail).toMatch(/ssh admin@192\.168\.64\.\d+/);
    } finally {
      server.setKnobs({});
    }
  });

  test("a VM that is not running has no shell", async () => {
    const { status, body } = await shellTicket("vm-0002");
    expect(status).toBe(409);
    expect(body.detail).toContain("is not running");
  });
});
