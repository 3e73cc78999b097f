// The compiled executable (dist/taartenfabriek, built by `bun run build` before the tests): its
// command line, its start-up output, the embedded UI, and the API over HTTP and a websocket.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { BINARY, collectSocket, startServer, stopAll } from "./support/server-process.ts";

afterAll(stopAll);

describe("the compiled binary", () => {
  test("exists (npm test builds it first)", () => {
    expect(existsSync(BINARY)).toBe(true);
  });

  test("--version and --help", () => {
    const version = Bun.spawnSync([BINARY, "--version"]);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.toString().trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = Bun.spawnSync([BINARY, "--help"]);
    expect(help.exitCode).toBe(0);
    for (const flag of ["--host", "--port", "--tart", "--data-dir", "--no-open", "--version"]) {
      expect(help.stdout.toString()).toContain(flag);
    }
  });

  test("an unknown flag is a one-line usage error", () => {
    const run = Bun.spawnSync([BINARY, "--frobnicate"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.toString().trim().split("\n")).toHaveLength(1);
  });

  test("refuses a non-loopback address without --allow-non-loopback", () => {
    const run = Bun.spawnSync([BINARY, "--host", "0.0.0.0", "--no-open"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.toString()).toContain("--allow-non-loopback");
  });

  test("serves the API, the embedded UI and a websocket; prints URL, token file and tart", async () => {
    const server = await startServer({ binary: true, seed: { local: 2 } });
    await server.waitForOutput("Using tart");
    expect(server.output()).toContain(`listening on http://127.0.0.1:${server.port}/`);
    expect(server.output()).toContain(`#token=${server.token}`);
    expect(server.output()).toContain(`API token file: ${server.dataDir}/token`);
    expect(server.output()).toMatch(/Using tart 2\.32\.1 at .*fake-tart\/tart/);
    const page = await fetch(`${server.base}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).not.toContain(server.token);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(server.base + script);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(asset.headers.get("content-type")).toContain("javascript");
    // The bundled libraries' licences travel with them (noVNC's MPL-2.0 asks for it).
    const licences = await fetch(`${server.base}/licenses.txt`);
    expect(licences.headers.get("content-type")).toContain("text/plain");
    const text = await licences.text();
    for (const name of ["@novnc/novnc 1.7.0 (MPL-2.0)", "Mozilla Public License Version 2.0", "@xterm/xterm", "solid-js", "swagger-ui-dist"]) expect(text).toContain(name);
    expect((await server.get("/api/tart/version")).version).toBe("2.32.1");
    await server.post("/api/vms/refresh");
    const task = await (await server.post("/api/vms/vm-0001/start")).json();
    const { messages, code } = await collectSocket(`${server.base.replace("http", "ws")}/ws/tasks/${task.id}?token=${server.token}`);
    expect(code).toBe(1000);
    expect(messages.at(-1).status).toBe("completed");
    await server.stop();
  });

  test("a port in use is a one-line error naming the port, exit 1", async () => {
    const server = await startServer({ binary: true });
    const second = Bun.spawnSync([BINARY, "--port", String(server.port), "--no-open", "--data-dir", server.dataDir, "--tart", "/nonexistent"]);
    expect(second.exitCode).toBe(1);
    const stderr = second.stderr.toString().trim();
    expect(stderr).toContain(`port ${server.port}`);
    expect(stderr).not.toContain("    at ");
    await server.stop();
  });

  test("SIGTERM stops it cleanly with exit 0", async () => {
    const server = await startServer({ binary: true });
    expect(await server.stop("SIGTERM")).toBe(0);
  });
});

describe("a non-loopback address, explicitly allowed", () => {
  test("warns that the API controls VMs; only allowed names pass the Host check", async () => {
    const server = await startServer({ binary: true, args: ["--host", "0.0.0.0", "--allow-non-loopback", "--allow-host", "mymac.local"] });
    await server.waitForOutput("anyone who can reach it and has the token controls your VMs");
    const ask = (host: string) => fetch(`${server.base}/api/health`, { headers: { host, "x-local-token": server.token } });
    expect((await ask(`mymac.local:${server.port}`)).status).toBe(200);
    expect((await ask(`127.0.0.1:${server.port}`)).status).toBe(200);
    expect((await ask(`192.0.2.7:${server.port}`)).status).toBe(403); // not named: a rebinding page could be
    await server.stop();
  });
});
