// The inventory follows tart by events and pushes them on /ws/events: changes made by calling the
// fake tart directly (as a terminal would) show up as vm.added / vm.removed without a refresh; a
// reconnect with `since` replays what was missed, an id the ring no longer holds gets a resync;
// tasks arrive as created / updated deltas / finished; an idle server runs no tart at all between
// reconciles; the watched folder may vanish and come back. The real server process, over real
// websockets.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bunBinDir, FAKE_TART, startServer, stopAll, type TestServer } from "../support/server-process.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ seed: { local: 3, running: 0, oci: 0 }, knobs: { argv_log: true } });
  await server.get("/api/vms");
});
afterAll(stopAll);

/** The fake tart run as a user's terminal would, on the server's TART_HOME. */
function terminalTart(...args: string[]): void {
  const result = Bun.spawnSync([FAKE_TART, ...args], {
    env: { PATH: `${bunBinDir()}:/usr/bin:/bin`, HOME: server.tartHome, TART_HOME: server.tartHome, CI: "1" },
  });
  if (result.exitCode !== 0) throw new Error(`tart ${args.join(" ")}: ${result.stderr}`);
}

interface Stream {
  messages: any[];
  /** Resolves with the first message (after those already seen) that matches. */
  next(match: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

async function openStream(query = ""): Promise<Stream> {
  const socket = new WebSocket(`${server.base.replace("http", "ws")}/ws/events?token=${server.token}${query}`);
  const messages: any[] = [];
  const waiters = new Set<() => void>();
  socket.onmessage = (event) => {
    messages.push(JSON.parse(String(event.data)));
    for (const wake of waiters) wake();
  };
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error("the event stream was refused"));
  });
  return {
    messages,
    next(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = messages.find(match);
          if (!found) return;
          waiters.delete(look);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`no matching event in ${timeoutMs} ms; got ${messages.map((m) => m.type).join(", ")}`));
        }, timeoutMs);
        waiters.add(look);
        look();
      });
    },
    close: () => socket.close(),
  };
}

const tartCalls = () => server.argvLog().length;

describe("/ws/events", () => {
  test("a clone, a rename and a delete made in a terminal arrive as events, with no refresh asked", async () => {
    const stream = await openStream();
    const hello = await stream.next((m) => m.type === "hello");
    expect(typeof hello.id).toBe("number");

    terminalTart("clone", "vm-0001", "from-terminal");
    const added = await stream.next((m) => m.type === "vm.added" && m.data.name === "from-terminal");
    expect(added.id).toBeGreaterThan(hello.id);
    expect(added.data).toMatchObject({ name: "from-terminal", source: "local", status: "stopped" });

    terminalTart("rename", "from-terminal", "renamed");
    await stream.next((m) => m.type === "vm.removed" && m.data.name === "from-terminal");
    await stream.next((m) => m.type === "vm.added" && m.data.name === "renamed");

    terminalTart("delete", "renamed");
    await stream.next((m) => m.type === "vm.removed" && m.data.name === "renamed");
    expect((await server.get<any[]>("/api/vms")).map((vm) => vm.name)).not.toContain("renamed");
    // Ids only ever increase.
    const ids = stream.messages.filter((m) => typeof m.id === "number" && m.type !== "hello").map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    stream.close();
  });

  test("a client that reconnects with since gets what it missed; one too far behind is told to resync", async () => {
    const first = await openStream();
    const { id } = await first.next((m) => m.type === "hello");
    first.close();
    terminalTart("clone", "vm-0001", "while-away");
    // Wait until the server has seen it, then come back.
    const deadline = Date.now() + 10_000;
    while (!(await server.get<any[]>("/api/vms")).some((vm) => vm.name === "while-away") && Date.now() < deadline) await Bun.sleep(50);
    const back = await openStream(`&since=${id}`);
    const missed = await back.next((m) => m.type === "vm.added" && m.data.name === "while-away");
    expect(missed.id).toBeGreaterThan(id);
    back.close();

    const stale = await openStream("&since=5");
    const resync = await stale.next((m) => m.type === "resync");
    expect(resync.id).toBeGreaterThanOrEqual(missed.id);
    stale.close();
    terminalTart("delete", "while-away");
  });

  test("a task comes as task.created, task.updated deltas with log_offset, then task.finished", async () => {
    const stream = await openStream();
    await stream.next((m) => m.type === "hello");
    const response = await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/ubuntu:events" });
    const task = await response.json();
    const created = await stream.next((m) => m.type === "task.created" && m.data.id === task.id);
    expect(created.data).toMatchObject({ action: "pull_vm", vm_name: "ghcr.io/cirruslabs/ubuntu:events" });
    const finished = await stream.next((m) => m.type === "task.finished" && m.data.id === task.id, 20_000);
    expect(finished.data.status).toBe("completed");
    // The deltas, applied in order, give the whole log the API has.
    const lines: string[] = [];
    for (const m of stream.messages.filter((m) => (m.type === "task.updated" || m.type === "task.finished") && m.data.id === task.id)) {
      expect(m.data.log_offset).toBe(lines.length);
      lines.push(...m.data.logs);
    }
    expect(lines).toEqual((await server.get(`/api/tasks/${task.id}`)).logs);
    await stream.next((m) => m.type === "vm.added" && m.data.name === "ghcr.io/cirruslabs/ubuntu:events");
    stream.close();
  });

  test("refused without the token, and from another origin", async () => {
    const noToken = await fetch(`${server.base}/ws/events`, { headers: { upgrade: "websocket", connection: "upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" } });
    expect(noToken.status).toBe(401);
    const foreign = await fetch(`${server.base}/ws/events?token=${server.token}`, {
      headers: { upgrade: "websocket", connection: "upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13", origin: "http://evil.example" },
    });
    expect(foreign.status).toBe(403);
  });
});

describe("a burst", () => {
  test("30 clones landing together cost a handful of looks at tart, not 30", async () => {
    const stream = await openStream();
    await stream.next((m) => m.type === "hello");
    const before = server.argvLog().length;
    const env = { PATH: `${bunBinDir()}:/usr/bin:/bin`, HOME: server.tartHome, TART_HOME: server.tartHome, CI: "1" };
    const names = Array.from({ length: 30 }, (_, i) => `burst-${i}`);
    await Promise.all(names.map((name) => Bun.spawn([FAKE_TART, "clone", "vm-0002", name], { env, stdout: "ignore", stderr: "ignore" }).exited));
    for (const name of names) await stream.next((m) => m.type === "vm.added" && m.data.name === name, 15_000);
    const lists = server.argvLog().slice(before).filter((argv) => argv[0] === "list").length;
    // Changes are gathered for 150 ms and a look is made at least once a second while they come.
    expect(lists).toBeGreaterThan(0);
    expect(lists).toBeLessThanOrEqual(10);
    stream.close();
    for (const name of names) terminalTart("delete", name);
  }, 60_000);
});

describe("an idle server", () => {
  test("runs no tart between reconciles (the old code ran tart list every 10 s)", async () => {
    // Let the previous tests' looks end (a pull's own look, then the one its cache events ask for).
    await Bun.sleep(3_000);
    const before = tartCalls();
    await Bun.sleep(12_000);
    expect(server.argvLog().slice(before)).toEqual([]);
  }, 30_000);

  test("a watched folder that vanishes and comes back is watched again", async () => {
    const stream = await openStream();
    await stream.next((m) => m.type === "hello");
    const vms = join(server.tartHome, "vms");
    const aside = join(server.tartHome, "vms-aside");
    renameSync(vms, aside);
    await stream.next((m) => m.type === "vm.removed", 15_000);
    renameSync(aside, vms);
    await stream.next((m) => m.type === "vm.added", 15_000);
    // Watched again: a terminal clone shows up by its event.
    terminalTart("clone", "vm-0001", "after-gap");
    await stream.next((m) => m.type === "vm.added" && m.data.name === "after-gap", 10_000);
    expect((await server.fetch("/api/health")).status).toBe(200);
    stream.close();
    rmSync(join(vms, "after-gap"), { recursive: true, force: true });
  }, 40_000);
});
