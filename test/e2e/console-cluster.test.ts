// A cluster VM's console in Chromium over the compiled binary: a TLS + auth fake Orchard
// controller (from orchard.yml, its certificate pinned) whose port-forward for port 5900 leads
// to a real VNC server standing for the guest's Screen Sharing. The running VM's Console button
// on the Clusters view opens the console page in a new tab; the guest's login is typed key by
// key and sent with Enter (nothing offers to remember it: logins are kept per local VM); the
// screen connects; the same at 390 px. A failed VM has no Console button. Screenshots:
// test-output/e2e/cluster-console*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { createClusterVms, RUNNING_AND_FAILED } from "../support/cluster-vms.ts";
import { orchardHomeFor } from "../support/fake-orchard/cli-home.ts";
import { startFakeOrchard, type FakeOrchard } from "../support/fake-orchard/controller.ts";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { startVncServer, type VncServer } from "../support/vnc-server.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { openClusterVmTab, waitFor } from "./support/ui.ts";

const TOKEN = "e2e-cluster-console-token";
let orchard: FakeOrchard;
let guest: VncServer;
let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  guest = await startVncServer({ password: "admin" });
  orchard = startFakeOrchard({
    tls: true,
    accounts: [{ name: "ops", token: TOKEN, roles: ["compute:read", "compute:write"] }],
    timings: { stepMs: 30 },
    forward: (_vm, port) => (port === 5900 ? { hostname: guest.host, port: guest.port } : null),
  });
  orchard.cluster.addWorker("mini-1");
  orchard.cluster.missingImages.add("ghcr.io/acme/missing:latest");
  const home = orchardHomeFor(orchard, "farm", { name: "ops", token: TOKEN });
  server = await startServer({ binary: true, seed: { local: 1, oci: 0 }, env: { ORCHARD_HOME: home } });
  await createClusterVms(server, "farm", RUNNING_AND_FAILED); // "broken" fails, as meant
  browser = await openDashboard(server, { viewport: { width: 1280, height: 800 }, pageErrors });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
  orchard?.stop();
  guest?.stop();
  expect(pageErrors).toEqual([]);
});

async function logIn(page: import("playwright-core").Page) {
  const form = page.getByTestId("console-login");
  await form.waitFor();
  expect(await form.getByText("Remember").count()).toBe(0);
  await form.getByLabel("User").pressSequentially("admin");
  await form.getByLabel("Password").pressSequentially("admin");
  return form;
}

test("the running cluster VM's Console button opens its screen through the controller; a failed one has none", async () => {
  const consoleTab = await openClusterVmTab(browser, "console");
  const form = await logIn(consoleTab);
  await screenshot(consoleTab, "cluster-console-login", { fullPage: false });
  await form.getByLabel("Password").press("Enter");
  const status = () => consoleTab.getByTestId("console-status").getAttribute("data-kind");
  await waitFor(status, (kind) => kind === "connected", 15_000, "connected");
  await consoleTab.locator('[data-testid="console-screen"] canvas').waitFor();
  await screenshot(consoleTab, "cluster-console", { fullPage: false });
  expect(orchard.requests.some((r) => r.path === "/v1/vms/mac/port-forward?port=5900&wait=10")).toBe(true);

  // The VM fails under the open console: the socket closes and the page says why.
  orchard.cluster.fail(orchard.cluster.vms.get("mac")!, "worker lost");
  await consoleTab.getByTestId("console-reconnect").click();
  await waitFor(status, (kind) => kind === "error" || kind === "closed", 15_000, "refused");
  expect(await consoleTab.getByTestId("console-status").textContent()).toContain("is failed");
  await consoleTab.getByLabel("Back to the VMs").click();
  expect(new URL(consoleTab.url()).pathname).toBe("/clusters");
  await consoleTab.close();
}, 90_000);

test("at 390 px the console page of a cluster VM still logs in", async () => {
  const created = await server.post("/api/clusters/farm/vms", { name: "phone", image: "ghcr.io/cirruslabs/macos-tahoe-base:latest" });
  await server.waitTask((await created.json()).id, 20_000);
  const phone = await browser.context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${server.base}/clusters/farm/vms/phone/console`);
  const form = await logIn(phone);
  await form.getByLabel("Password").press("Enter");
  await waitFor(() => phone.getByTestId("console-status").getAttribute("data-kind"), (kind) => kind === "connected", 15_000, "connected");
  await screenshot(phone, "cluster-console-phone", { fullPage: false });
  await phone.close();
}, 60_000);
