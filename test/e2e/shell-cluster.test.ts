// A cluster VM's shell in Chromium over the compiled binary: a TLS + auth fake Orchard controller
// (from orchard.yml) whose exec runs the command for real here in a PTY. The running VM's Shell
// button on the Clusters view opens the shell page in a new tab; a command typed key by key and
// sent with Enter prints its answer; `exit` ends it with its code. A failed VM has no Shell
// button. The same page at 390 px. Screenshots: test-output/e2e/cluster-shell*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { createClusterVms, RUNNING_AND_FAILED } from "../support/cluster-vms.ts";
import { orchardHomeFor } from "../support/fake-orchard/cli-home.ts";
import { startFakeOrchard, type FakeOrchard } from "../support/fake-orchard/controller.ts";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { openClusterVmTab, waitFor } from "./support/ui.ts";

const TOKEN = "e2e-cluster-shell-token";
let orchard: FakeOrchard;
let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  orchard = startFakeOrchard({ tls: true, accounts: [{ name: "ops", token: TOKEN, roles: ["compute:read", "compute:write"] }], timings: { stepMs: 30 } });
  orchard.cluster.addWorker("mini-1");
  orchard.cluster.missingImages.add("ghcr.io/acme/missing:latest");
  server = await startServer({ binary: true, seed: { local: 1, oci: 0 }, env: { ORCHARD_HOME: orchardHomeFor(orchard, "farm", { name: "ops", token: TOKEN }) } });
  await createClusterVms(server, "farm", RUNNING_AND_FAILED); // "broken" fails, as meant
  browser = await openDashboard(server, { viewport: { width: 1280, height: 800 }, pageErrors });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
  orchard?.stop();
  expect(pageErrors).toEqual([]);
});

const terminalText = (page: import("playwright-core").Page) => page.getByTestId("shell-terminal").textContent();

test("the running cluster VM's Shell button opens a terminal through the controller's exec; a failed one has none", async () => {
  const tab = await openClusterVmTab(browser, "shell");
  await waitFor(() => tab.getByTestId("shell-status").textContent(), (text) => /Connected \(login shell\)/.test(text ?? ""), 15_000, "connected");
  await tab.getByTestId("shell-terminal").click();
  await tab.keyboard.type("echo cluster-$((40+2))");
  await tab.keyboard.press("Enter");
  await waitFor(() => terminalText(tab), (text) => /cluster-42/.test(text ?? ""), 10_000, "output");
  await screenshot(tab, "cluster-shell", { fullPage: false });
  expect(orchard.requests.some((r) => r.path.startsWith("/v1/vms/mac/exec?") && r.path.includes("tty=true"))).toBe(true);
  await tab.keyboard.type("exit 3");
  await tab.keyboard.press("Enter");
  await waitFor(() => tab.getByTestId("shell-status").textContent(), (text) => /shell ended \(shell exited with 3\)/.test(text ?? ""), 10_000, "ended");
  await tab.close();
}, 60_000);

test("at 390 px the shell page of a cluster VM still runs a command", async () => {
  const phone = await browser.context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${server.base}/clusters/farm/vms/mac/shell`);
  await waitFor(() => phone.getByTestId("shell-status").textContent(), (text) => /Connected/.test(text ?? ""), 15_000, "connected");
  await phone.getByTestId("shell-terminal").click();
  await phone.keyboard.type("echo narrow-$((1+1))");
  await phone.keyboard.press("Enter");
  await waitFor(() => terminalText(phone), (text) => /narrow-2/.test(text ?? ""), 10_000, "output");
  await screenshot(phone, "cluster-shell-phone", { fullPage: false });
  await phone.close();
}, 30_000);
