// The "start with the server" switch in a local VM's details (Config) dialog, in Chromium against
// the compiled binary: it shows what the server holds, a click and the space key change it there,
// Escape closes the dialog and reopening shows the saved state; at 390 px it fits the dialog.
// Screenshots: test-output/e2e/autostart-*.png.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { vmCard, waitFor } from "./support/ui.ts";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  server = await startServer({ binary: true, seed: { local: 3, oci: 0 } });
  await server.post("/api/vms/refresh");
  expect((await server.post("/api/autostart", { name: "vm-0002", enabled: true })).status).toBe(200);
  browser = await openDashboard(server, { viewport: { width: 1440, height: 900 } });
  await vmCard(browser.page, "vm-0001").waitFor();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
});

const marked = async () => (await server.get<{ vms: string[] }>("/api/autostart")).vms;

async function openDetails(name: string) {
  const { page } = browser;
  await vmCard(page, name).getByRole("button", { name: `Config ${name}` }).click();
  await page.getByTestId("dialog-config").waitFor();
  const box = page.getByTestId(`autostart-${name}`);
  await waitFor(() => box.isEnabled(), (on) => on, 5_000, `${name}'s switch ready`);
  return box;
}

async function closeDetails() {
  await browser.page.keyboard.press("Escape");
  await browser.page.getByTestId("dialog-config").waitFor({ state: "detached" });
}

describe("autostart switch", () => {
  test("shows the server's list; a click and the space key change it there; reopening shows it", async () => {
    const { page } = browser;
    expect(await (await openDetails("vm-0002")).isChecked()).toBe(true);
    await closeDetails();

    const box1 = await openDetails("vm-0001");
    expect(await box1.isChecked()).toBe(false);
    await box1.click();
    await waitFor(marked, (vms) => vms.includes("vm-0001"), 5_000, "vm-0001 marked");
    await waitFor(() => box1.isEnabled(), (on) => on, 5_000, "switch enabled again");
    expect(await box1.isChecked()).toBe(true);
    await screenshot(page, "autostart-desktop");
    await closeDetails();

    const box2 = await openDetails("vm-0002");
    await box2.focus();
    await page.keyboard.press("Space");
    await waitFor(marked, (vms) => !vms.includes("vm-0002"), 5_000, "vm-0002 unmarked");
    await waitFor(() => box2.isEnabled(), (on) => on, 5_000, "switch enabled again");
    expect(await box2.isChecked()).toBe(false);
    await closeDetails();

    expect(await (await openDetails("vm-0001")).isChecked()).toBe(true);
    await closeDetails();
    expect(await marked()).toEqual(["vm-0001"]);
  }, 30_000);

  test("at 390 px the switch fits the dialog", async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await openDetails("vm-0001");
    const dialog = await page.getByTestId("dialog-config").boundingBox();
    const label = await page.getByTestId("autostart-vm-0001").locator("xpath=..").boundingBox();
    expect(label!.x).toBeGreaterThanOrEqual(dialog!.x);
    expect(label!.x + label!.width).toBeLessThanOrEqual(dialog!.x + dialog!.width + 0.5);
    await page.getByTestId("autostart-vm-0001").scrollIntoViewIfNeeded();
    await screenshot(page, "autostart-phone");
    await closeDetails();
  }, 30_000);
});
