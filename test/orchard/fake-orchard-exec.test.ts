/**
 * The fake controller's exec websocket (spec orchard.md §7): its refusals before the upgrade,
 * then JSON frames over a real websocket, the command really running on this machine — in a
 * real PTY of the asked size when tty=true (resized by a resize frame) — and the exit frame.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import WebSocket from "ws";
import { startFakeOrchard, type FakeOrchard } from "../support/fake-orchard/controller.ts";

let orchard: FakeOrchard;
let admin: Record<string, string>;
const basic = (name: string, token: string) => ({ authorization: `Basic ${btoa(`${name}:${token}`)}` });

beforeAll(async () => {
  orchard = startFakeOrchard({ accounts: [{ name: "reader", token: "r-token", roles: ["compute:read"] }, { name: "connect", token: "c-token", roles: ["compute:connect"] }], timings: { stepMs: 10 } });
  orchard.cluster.addWorker("mini-1");
  admin = basic("bootstrap-admin", orchard.accounts.get("bootstrap-admin")!.token);
  for (const name of ["vm-1", "locked"]) {
    const created = await fetch(`${orchard.url}/v1/vms`, { method: "POST", headers: { ...admin, "content-type": "application/json" }, body: JSON.stringify({ name, image: "ghcr.io/cirruslabs/macos-tahoe-base:latest" }) });
    expect(created.status).toBe(200);
  }
  orchard.cluster.sshRefused.add("locked");
  for (let i = 0; i < 200 && orchard.cluster.vms.get("vm-1")!.status !== "running"; i++) await Bun.sleep(20);
});
afterAll(() => orchard?.stop());

const execUrl = (name: string, query: string) => `${orchard.url.replace("http", "ws")}/v1/vms/${name}/exec?${query}`;

type Session = { frames: any[]; text: () => string; code: number; reason: string; ws: WebSocket; closed: Promise<void> };
function open(name: string, query: string, headers = admin): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(execUrl(name, query), { headers });
    const session: Session = {
      frames: [],
      text: () => session.frames.filter((f) => f.type === "stdout" || f.type === "stderr").map((f) => Buffer.from(f.data, "base64").toString()).join(""),
      code: 0,
      reason: "",
      ws,
      closed: new Promise((done) => ws.on("close", (code, reason) => ((session.code = code), (session.reason = String(reason)), done()))),
    };
    ws.on("message", (data, isBinary) => {
      expect(isBinary).toBe(false); // JSON text frames only
      session.frames.push(JSON.parse(String(data)));
    });
    ws.on("open", () => resolve(session));
    ws.on("unexpected-response", (_request, response: any) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk));
      response.on("end", () => reject(Object.assign(new Error(`status ${response.statusCode}`), { status: response.statusCode, body })));
    });
    ws.on("error", reject);
  });
}
const send = (s: Session, frame: object) => s.ws.send(JSON.stringify(frame));
const stdin = (text: string) => ({ type: "stdin", data: Buffer.from(text).toString("base64") });
async function until(s: Session, what: (text: string) => boolean) {
  for (let i = 0; i < 250 && !what(s.text()); i++) await Bun.sleep(20);
  return s.text();
}

describe("fake Orchard exec", () => {
  test("refusals before the upgrade: roles, empty command, bad flags, 404, 503 when SSH fails", async () => {
    const get = (name: string, query: string, headers = admin) => fetch(`${orchard.url}/v1/vms/${name}/exec?${query}`, { headers });
    const noRole = await get("vm-1", "command=true", basic("reader", "r-token"));
    expect(noRole.status).toBe(401);
    expect(await noRole.json()).toEqual({ message: "any of the following roles must be present: compute:write, compute:connect" });
    const empty = await get("vm-1", "command=");
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ message: '"command" parameter cannot be empty' });
    expect(await (await get("vm-1", "command=true&tty=yes")).json()).toEqual({ message: '"tty" parameter must be a boolean' });
    expect(await (await get("vm-1", "command=true&rows=24")).json()).toEqual({ message: '"rows" and "cols" must be provided together' });
    expect((await get("vm-1", "command=true&wait=x")).status).toBe(400);
    expect((await get("nope", "command=true")).status).toBe(404);
    const ssh = await get("locked", "command=true");
    expect(ssh.status).toBe(503);
    expect((await ssh.json()).message).toStartWith("failed to establish SSH connection to a VM");
  });

  test("a command without a terminal: stdout and stderr frames with a growing watermark, then the exit code", async () => {
    const s = await open("vm-1", `command=${encodeURIComponent("echo out; echo err >&2; exit 3")}`, basic("connect", "c-token"));
    await s.closed;
    expect(s.frames.filter((f) => f.type === "stdout").map((f) => Buffer.from(f.data, "base64").toString()).join("")).toBe("out\n");
    expect(s.frames.filter((f) => f.type === "stderr").map((f) => Buffer.from(f.data, "base64").toString()).join("")).toBe("err\n");
    const marks = s.frames.filter((f) => f.watermark).map((f) => f.watermark);
    expect(marks).toEqual([...marks].sort((a, b) => a - b));
    expect(s.frames.at(-1)).toEqual({ type: "exit", exit: { code: 3 } });
    expect(s.code).toBe(1000);
  });

  test("interactive stdin, and an empty stdin frame is EOF", async () => {
    const s = await open("vm-1", "command=cat&interactive=true");
    send(s, stdin("hello cat\n"));
    expect(await until(s, (t) => t.includes("hello cat"))).toBe("hello cat\n");
    send(s, { type: "stdin", data: "" });
    await s.closed;
    expect(s.frames.at(-1)).toEqual({ type: "exit", exit: { code: 0 } });
  });

  test("tty=true: a real terminal of rows×cols, resized by a resize frame; the shell's exit code", async () => {
    const s = await open("vm-1", "command=/bin/sh&tty=true&rows=30&cols=100");
    send(s, stdin("stty size\r"));
    expect(await until(s, (t) => t.includes("30 100"))).toContain("30 100");
    send(s, { type: "resize", terminal: { rows: 40, cols: 132 } });
    await Bun.sleep(50);
    send(s, stdin("stty size; exit 7\r"));
    await s.closed;
    expect(s.text()).toContain("40 132");
    expect(s.frames.at(-1)).toEqual({ type: "exit", exit: { code: 7 } });
  });

  test("an unknown client frame (detach) ends a legacy session, with no exit frame", async () => {
    const s = await open("vm-1", "command=sleep%2030&interactive=true");
    send(s, { type: "detach" });
    await s.closed;
    expect(s.frames.some((f) => f.type === "exit")).toBe(false);
  });
});
