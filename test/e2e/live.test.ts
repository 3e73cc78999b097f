// The page follows the server by its event stream, in Chromium against the compiled binary: a VM
// cloned, started and deleted from a terminal (the fake tart called directly, as a user's shell
// would) appears, runs and goes without a refresh, and while the stream is up the page asks
// nothing of /api/vms, /api/tasks/active or /api/health; when the server goes away it falls back
// to polling and shows the offline banner.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { BINARY, bunBinDir, FAKE_TART, killFakeVms, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { launch, screenshot, type Browser } from "./support/browser.ts";
import { statusOf, vmCard, waitFor } from "./support/ui.ts";

const SLOW = 90_000;
let server: TestServer;
let browser: Browser;
const polled: string[] = [];

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  server = await startServer({ binary: true, seed: { local: 3, running: 0, oci: 0 }, knobs: { boot_ms: 200 } });
  browser = await launch();
  browser.page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path === "/api/vms" || path === "/api/tasks/active" || path === "/api/health") polled.push(path);
  });
  await browser.page.goto(`${server.base}/#token=${server.token}`);
  await vmCard(browser.page, "vm-0001").waitFor();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  if (server) killFakeVms(server.tartHome);
  await stopAll();
});

/** The fake tart run as a user's terminal would, on the server's TART_HOME. */
function terminal(...args: string[]): Bun.Subprocess | void {
  const env = { PATH: `${bunBinDir()}:/usr/bin:/bin`, HOME: server.tartHome, TART_HOME: server.tartHome, CI: "1" };
  if (args[0] === "run") return Bun.spawn([FAKE_TART, ...args], { env, stdout: "ignore", stderr: "ignore" });
  const result = Bun.spawnSync([FAKE_TART, ...args], { env });
  if (result.exitCode !== 0) throw new Error(`tart ${args.join(" ")}: ${result.stderr}`);
}

describe("changes made in a terminal", () => {
  test("a clone appears, a tart run shows Running, a delete removes it; nothing is polled meanwhile", async () => {
    const { page } = browser;
    await Bun.sleep(500); // the stream's hello and its first load
    polled.length = 0;

    terminal("clone", "vm-0001", "made-in-terminal");
    const card = vmCard(page, "made-in-terminal");
    await card.waitFor({ timeout: 5_000 });

    const run = terminal("run", "--no-graphics", "made-in-terminal") as Bun.Subprocess;
    try {
      // tart run writes nothing the watcher must see for sure; the reconcile (60 s) is the net,
      // but the fake's run mark in the VM folder, like tart's control socket, is seen at once.
      await waitFor(() => statusOf(card), (s) => s === "running", 10_000, "Running on the card");
      await screenshot(page, "live-terminal-running");
    } finally {
      run.kill("SIGINT");
      await run.exited;
    }
    await waitFor(() => statusOf(card), (s) => s === "stopped", 15_000, "Stopped on the card");

    terminal("delete", "made-in-terminal");
    await card.waitFor({ state: "detached", timeout: 5_000 });
    expect(polled).toEqual([]);
  }, SLOW);

  test("the server going away: polling takes over and the offline banner shows", async () => {
    const { page } = browser;
    await server.stop();
    await page.getByTestId("banner-offline").waitFor({ timeout: 20_000 });
    expect(polled).toContain("/api/health");
  }, SLOW);
});
