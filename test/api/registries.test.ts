// Private registries over real HTTP: tart login with the password on stdin only, logout, the
// list of hosts logged in to; the password is nowhere but tart's stdin (the fake tart's Keychain
// stand-in shows it arrived): not in argv, the task, its log, the history, the data dir or the
// server's output. Every refusal is a 4xx before any tart call.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

const PASSWORD = "pa55-w0rd!with spaces&'quotes'";
const HOST = "registry.example.com:5000";
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ knobs: { registry_logins: { "secure.example.com": { alice: "right" } } } });
});
afterAll(() => stopAll());

const tartCalls = (verb: string) => server.argvLog().filter((argv) => argv[0] === verb);
const keychain = () => JSON.parse(readFileSync(join(server.tartHome, "fake-keychain.json"), "utf8"));

/** Every file under `dir`, read as bytes. */
function filesUnder(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, text: readFileSync(path).toString("latin1") });
  }
  return out;
}

function expectNoPasswordAnywhere(password: string, taskIds: string[]): Promise<void> {
  return (async () => {
    for (const argv of server.argvLog()) expect(argv.join(" ")).not.toContain(password);
    expect(readFileSync(join(server.tartHome, "argv.log"), "utf8")).not.toContain(password);
    for (const id of taskIds) {
      expect(JSON.stringify(await server.get(`/api/tasks/${id}`))).not.toContain(password);
      expect(await (await server.fetch(`/api/tasks/${id}/log`)).text()).not.toContain(password);
    }
    expect(JSON.stringify(await server.get("/api/tasks?limit=500"))).not.toContain(password);
    for (const file of filesUnder(server.dataDir)) expect({ path: file.path, has: file.text.includes(password) }).toEqual({ path: file.path, has: false });
    expect(server.output()).not.toContain(password);
  })();
}

describe("login", () => {
  test("tart login HOST --username U --password-stdin, the password on stdin alone", async () => {
    const response = await server.post("/api/registries/login", { host: HOST, username: "robot$ci", password: PASSWORD });
    expect(response.status).toBe(200);
    const created = await response.json();
    expect(created.action).toBe("registry_login");
    expect(created.vm_name).toBe(HOST);
    const task = await server.waitTask(created.id);
    expect(task.status).toBe("completed");
    expect(tartCalls("login").at(-1)).toEqual(["login", HOST, "--username", "robot$ci", "--password-stdin"]);
    expect(task.command.slice(1)).toEqual(["login", HOST, "--username", "robot$ci", "--password-stdin"]);
    expect(keychain()[HOST]).toEqual({ user: "robot$ci", password: PASSWORD });
    expect(await server.get("/api/registries")).toEqual({ registries: [{ host: HOST, username: "robot$ci", logged_in_at: expect.any(Number) }] });
    const stored = JSON.parse(readFileSync(join(server.dataDir, "registries.json"), "utf8"));
    expect(stored.registries).toEqual([{ host: HOST, username: "robot$ci", logged_in_at: expect.any(Number) }]);
    await expectNoPasswordAnywhere(PASSWORD, [task.id]);
  });

  test("credentials the registry refuses: the task fails with tart's words, nothing is listed, nothing kept", async () => {
    const wrong = "not-the-right-one-42";
    const task = await server.waitTask((await (await server.post("/api/registries/login", { host: "secure.example.com", username: "alice", password: wrong })).json()).id);
    expect(task.status).toBe("failed");
    expect(task.error).toBe('invalid credentials: UnexpectedHTTPStatusCode(when: "doing ping", code: 401, details: "")');
    expect((await server.get<any>("/api/registries")).registries.map((r: any) => r.host)).toEqual([HOST]);
    await expectNoPasswordAnywhere(wrong, [task.id]);
    const retry = await server.post(`/api/tasks/${task.id}/retry`);
    expect(retry.status).toBe(409);
    expect((await retry.json()).detail).toContain("password was not kept");
  });

  test("the right ones log in", async () => {
    const task = await server.waitTask((await (await server.post("/api/registries/login", { host: "secure.example.com", username: "alice", password: "right" })).json()).id);
    expect(task.status).toBe("completed");
    expect((await server.get<any>("/api/registries")).registries.map((r: any) => r.host)).toEqual([HOST, "secure.example.com"]);
  });

  const long = "x".repeat(20_000);
  test.each([
    [{ host: "https://ghcr.io", username: "u", password: "p" }, /^host: .*without a scheme/],
    [{ host: "ghcr.io/acme", username: "u", password: "p" }, /^host: .*without a path/],
    [{ host: "registry", username: "u", password: "p" }, /^host: "registry" is not a registry host/],
    [{ host: "-x.io", username: "u", password: "p" }, /^host: /],
    [{ host: HOST, username: "-rf", password: "p" }, /^username: /],
    [{ host: HOST, username: "two words", password: "p" }, /^username: /],
    [{ host: HOST, username: "u", password: "" }, /^password: must be 1 to/],
    [{ host: HOST, username: "u" }, /^password: /],
    [{ host: HOST, username: "u", password: long }, /^password: must be 1 to 16384 characters$/],
  ])("%j is a 422 that names the field, never the password", async (body, detail) => {
    const response = await server.post("/api/registries/login", body);
    expect(response.status).toBe(422);
    const text = (await response.json()).detail;
    expect(text).toMatch(detail);
    expect(text).not.toContain("xxxxxxxx"); // the long password is not echoed
    expect(tartCalls("login").length).toBe(3);
  });
});

describe("logout", () => {
  test("tart logout HOST; the host leaves the list and tart's Keychain", async () => {
    const task = await server.waitTask((await (await server.post("/api/registries/logout", { host: HOST })).json()).id);
    expect(task.status).toBe("completed");
    expect(task.action).toBe("registry_logout");
    expect(tartCalls("logout").at(-1)).toEqual(["logout", HOST]);
    expect(keychain()[HOST]).toBeUndefined();
    expect((await server.get<any>("/api/registries")).registries.map((r: any) => r.host)).toEqual(["secure.example.com"]);
  });

  test("a host this server never logged in to: tart succeeds, the list is unchanged", async () => {
    const task = await server.waitTask((await (await server.post("/api/registries/logout", { host: "other.example.com" })).json()).id);
    expect(task.status).toBe("completed");
    // Only a failed task is retried.
    const again = await server.post(`/api/tasks/${task.id}/retry`);
    expect(again.status).toBe(409);
  });

  test.each([[{ host: "http://ghcr.io" }], [{}], [{ host: "" }]])("%j is a 422 with no tart call", async (body) => {
    const before = tartCalls("logout").length;
    const response = await server.post("/api/registries/logout", body);
    expect(response.status).toBe(422);
    expect(tartCalls("logout").length).toBe(before);
  });
});
