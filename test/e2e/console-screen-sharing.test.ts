// Screen Sharing mode in Chromium against the binary: a macOS guest started the usual way, its
// "Screen Sharing" a real VNC server on the fake guest's IP. The page asks for the guest's login
// (the server does not log in for it), typed key by key and sent with Enter; "Remember" keeps
// it, so the next visit connects by itself. Screenshot: test-output/e2e/console-login.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { startVncServer, type VncServer } from "../support/vnc-server.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { waitFor } from "./support/ui.ts";

const MAC = "vm-0001";
const SUBNET = `127.${10 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}`;
let server: TestServer;
let browser: Browser;
let guest: VncServer;

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  server = await startServer({ binary: true, seed: { local: 2, oci: 0 }, knobs: { lease_subnet: SUBNET } });
  await server.post("/api/vms/refresh");
  const started = await server.waitTask((await server.startTask(`/api/vms/${MAC}/start`)).id, 30_000);
  guest = await startVncServer({ password: "admin", host: started.result.ip_address, port: 5900 });
  browser = await openDashboard(server, { viewport: { width: 1280, height: 800 } });
}, 40_000);

afterAll(async () => {
  guest?.stop();
  await browser?.close();
  await stopAll();
});

const statusKind = () => browser.page.getByTestId("console-status").getAttribute("data-kind");

test("the guest's login is asked for, typed, remembered, and used by itself next time", async () => {
  const { page } = browser;
  await page.goto(`${server.base}/vms/${MAC}/console`);
  const form = page.getByTestId("console-login");
  await form.waitFor();
  expect(await page.getByTestId("console-vm-facts").textContent()).toContain("Screen Sharing");
  await form.getByLabel("User").pressSequentially("admin");
  await form.getByLabel("Password").pressSequentially("admin");
  await form.getByLabel(`Remember for ${MAC}`).check();
  await screenshot(page, "console-login", { fullPage: false });
  await form.getByLabel("Password").press("Enter");
  await waitFor(statusKind, (kind) => kind === "connected", 15_000, "connected");
  await waitFor(async () => (await server.fetch(`/api/vms/${MAC}/console`, { method: "POST" }).then((r) => r.json())).credentials, (c) => c !== null, 5_000, "remembered");
  await page.reload();
  await waitFor(statusKind, (kind) => kind === "connected", 15_000, "connected without asking");
  expect(await form.count()).toBe(0);
}, 60_000);
