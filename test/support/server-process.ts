/**
 * Starts a real server process for a test: from source (`bun src/main.ts`) or the compiled binary,
 * with a fresh temp data dir, a fresh TART_HOME and the fake tart, on a free port. Returns helpers
 * that talk to it the way any client does: HTTP with the token, and websockets.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { seedTartHome, type SeedOptions } from "./fake-tart/seed.ts";

export const ROOT = resolve(import.meta.dir, "..", "..");
export const FAKE_TART = join(ROOT, "test", "support", "fake-tart", "tart");
export const BINARY = join(ROOT, "dist", "taartenfabriek");
/** A folder with `bun` in it, for the fake tart's `#!/usr/bin/env bun` (npm's bun is bun.exe). */
export function bunBinDir(): string {
  const dir = join(tmpdir(), `taartenfabriek-bun-${process.pid}`);
  if (!existsSync(join(dir, "bun"))) {
    mkdirSync(dir, { recursive: true });
    symlinkSync(process.execPath, join(dir, "bun"));
  }
  return dir;
}

export interface StartOptions {
  binary?: boolean;
  /** With `binary`: another build than dist/taartenfabriek (a benchmark's older version). */
  binaryPath?: string;
  /** Path of tart for --tart; null starts without any tart. Default: the fake. */
  tart?: string | null;
  knobs?: Record<string, unknown>;
  seed?: Omit<SeedOptions, "home">;
  env?: Record<string, string>;
  args?: string[];
  /**
   * Runs the server, and so every fake tart it starts, at a lower CPU priority. For browser
   * tests on big inventories: each fake call is a Bun process costing ~65 ms of CPU (several
   * times a real tart's), and 2,000 background `tart get`s would otherwise take both cores from
   * Chromium, so the test would measure the fake instead of the page.
   */
  lowPriority?: boolean;
  /** Reuse a data dir / TART_HOME (restart tests). */
  dataDir?: string;
  tartHome?: string;
}

export interface TestServer {
  base: string;
  port: number;
  token: string;
  dataDir: string;
  tartHome: string;
  output: () => string;
  /**
   * Waits until the output matches. stdout and stderr are read separately, so a warning on
   * stderr can arrive after the "listening" line on stdout that `startServer` waited for.
   */
  waitForOutput(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  get<T = any>(path: string): Promise<T>;
  post(path: string, body?: unknown): Promise<Response>;
  /** POSTs an action and returns its Task; anything but a 200 throws with the answer. */
  startTask(path: string, body?: unknown): Promise<any>;
  /** The task websocket's URL for a task (`extra`: more query, e.g. "&mode=delta"). */
  taskSocket(id: string, extra?: string): string;
  /** Replaces the knobs with the start knobs plus `knobs`: `setKnobs({})` restores the start ones. */
  setKnobs(knobs: Record<string, unknown>): void;
  argvLog(): string[][];
  waitTask(id: string, timeoutMs?: number): Promise<any>;
  stop(signal?: NodeJS.Signals): Promise<number>;
}

const servers = new Set<TestServer>();

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const scratch = mkdtempSync(join(tmpdir(), "taartenfabriek-test-"));
  const dataDir = options.dataDir ?? join(scratch, "data");
  const tartHome = options.tartHome ?? join(scratch, "tart-home");
  if (options.seed) seedTartHome({ home: tartHome, ...options.seed });
  const knobs = { boot_ms: 150, ip_fail_ms: 100, pull_steps: 5, pull_interval_ms: 40, ...options.knobs };
  writeKnobs(tartHome, knobs);
  const tart = options.tart === undefined ? FAKE_TART : options.tart;
  const argv = [
    ...(options.lowPriority ? ["nice", "-n", "10"] : []), // nice execs the server: same pid
    ...(options.binary ? [options.binaryPath ?? BINARY] : [process.execPath, join(ROOT, "src", "main.ts")]),
  ];
  const args = ["--port", "0", "--no-open", "--data-dir", dataDir, ...(tart ? ["--tart", tart] : []), ...(options.args ?? [])];
  const proc = Bun.spawn([...argv, ...args], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PATH: tart === null ? "/usr/bin:/bin" : `${bunBinDir()}:/usr/bin:/bin`,
      HOME: scratch,
      TART_HOME: tartHome,
      TARTVM_GITHUB_API_URL: "http://127.0.0.1:9", // nothing listens there: no test reaches the internet
      TARTVM_GHCR_URL: "http://127.0.0.1:9",
      // A pull cut off by the network is retried after 5 s, 10 s, 20 s by default: far too slow
      // for a test that makes every pull fail. A test can pass its own.
      TARTVM_PULL_RETRY_DELAY_MS: "50",
      ...options.env,
    },
  });
  let output = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      output += decoder.decode(value, { stream: true });
    }
  };
  void pump(proc.stdout);
  void pump(proc.stderr);
  const listening = await untilOutput(() => output, LISTENING, 15_000, proc);
  const port = Number(LISTENING.exec(listening)![1]);
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  const base = `http://127.0.0.1:${port}`;

  const server: TestServer = {
    base,
    port,
    token,
    dataDir,
    tartHome,
    proc,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 5_000) => untilOutput(() => output, pattern, timeoutMs, proc),
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token !== null && !headers.has("x-local-token")) headers.set("x-local-token", init.token ?? token);
      return fetch(base + path, { ...init, headers });
    },
    async get(path) {
      const response = await server.fetch(path);
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    post(path, body = {}) {
      return server.fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    },
    async startTask(path, body = {}) {
      const response = await server.post(path, body);
      const task = await response.json();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(task)}`);
      return task;
    },
    taskSocket: (id, extra = "") => `${base.replace("http", "ws")}/ws/tasks/${id}?token=${token}${extra}`,
    setKnobs(next) {
      writeKnobs(tartHome, { ...knobs, ...next });
    },
    argvLog() {
      const file = join(tartHome, "argv.log");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line).argv);
    },
    async waitTask(id, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const task = await server.get(`/api/tasks/${id}`);
        if (task.status === "completed" || task.status === "failed") return task;
        if (Date.now() > deadline) throw new Error(`task ${id} still ${task.status}: ${JSON.stringify(task)}`);
        await Bun.sleep(50);
      }
    },
    async stop(signal = "SIGTERM") {
      servers.delete(server);
      proc.kill(signal);
      const code = await proc.exited;
      if (!options.tartHome) killFakeVms(tartHome);
      if (!options.dataDir) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
      return code;
    },
  };
  servers.add(server);
  return server;
}

function writeKnobs(tartHome: string, knobs: Record<string, unknown>): void {
  Bun.spawnSync(["mkdir", "-p", tartHome]);
  writeFileSync(join(tartHome, "fake-tart.json"), JSON.stringify(knobs));
}

const LISTENING = /listening on http:\/\/[^:]+:(\d+)\//;

/** Polls the server's output until it matches; fails at once if the server exits first. */
async function untilOutput(output: () => string, pattern: string | RegExp, timeoutMs: number, proc: Bun.Subprocess): Promise<string> {
  const matches = () => (typeof pattern === "string" ? output().includes(pattern) : pattern.test(output()));
  const deadline = Date.now() + timeoutMs;
  while (!matches()) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`server output never matched ${pattern}:\n${output()}`);
    await Bun.sleep(20);
  }
  return output();
}

/** Stops every server a test file left running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...servers].map((server) => server.stop()));
}

/** Kills the fake `tart run` processes of one TART_HOME (VMs outlive the server by design), and their VNC servers. */
export function killFakeVms(tartHome: string): void {
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      // A fake `tart run --vnc-experimental` has a VNC server child (test/support/vnc-server.ts).
      if (!cmdline.includes("fake-tart/tart\0run") && !cmdline.startsWith("Xtigervnc\0")) continue;
      if (!readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`TART_HOME=${tartHome}`)) continue;
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone already
    }
  }
}

/** Collects a websocket's messages until it closes. */
export function collectSocket(url: string, timeoutMs = 20_000): Promise<{ messages: any[]; code: number; reason: string }> {
  return new Promise((resolvePromise, reject) => {
    const messages: any[] = [];
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`websocket did not close in time; got ${messages.length} messages`));
    }, timeoutMs);
    socket.onmessage = (event) => messages.push(JSON.parse(String(event.data)));
    socket.onclose = (event) => {
      clearTimeout(timer);
      resolvePromise({ messages, code: event.code, reason: event.reason });
    };
  });
}

/** Waits until the inventory knows every VM's OS (the background `tart get`s fill it in). */
export async function untilEveryOsKnown(server: TestServer): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const vms = await server.get<{ os: string | null }[]>("/api/vms");
    if (vms.every((vm) => vm.os !== null)) return;
    await Bun.sleep(50);
  }
}
