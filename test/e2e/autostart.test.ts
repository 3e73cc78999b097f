// The "Start with the server" switch on a VM card, in Chromium against the compiled binary: it
// shows what the server holds, a click (and the space key) changes it there, a reload keeps it,
// and at 390 px the switch is on the card. Screenshots: test-output/e2e/autostart-*.png.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { launch, screenshot, type Browser } from "./support/browser.ts";
import { vmCard, waitFor } from "./support/ui.ts";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  server = await startServer({ binary: true, seed: { local: 3, oci: 0 } });
  await server.post("/api/vms/refresh");
  expect((await server.post("/api/autostart", { name: "vm-0002", enabled: true })).status).toBe(200);
  browser = await launch({ viewport: { width: 1440, height: 900 } });
  await browser.page.goto(`${server.base}/#token=${server.token}`);
  await vmCard(browser.page, "vm-0001").waitFor();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
});

const marked = async () => (await server.get<{ vms: string[] }>("/api/autostart")).vms;

describe("autostart switch", () => {
  test("shows the server's list; a click and the space key change it there; a reload keeps it", async () => {
    const { page } = browser;
    const box1 = page.getByTestId("autostart-vm-0001");
    const box2 = page.getByTestId("autostart-vm-0002");
    await waitFor(() => box2.isChecked(), (on) => on, 5_000, "vm-0002 checked");
    expect(await box1.isChecked()).toBe(false);

    await box1.click();
    await waitFor(marked, (vms) => vms.includes("vm-0001"), 5_000, "vm-0001 marked");
    expect(await box1.isChecked()).toBe(true);
    await screenshot(page, "autostart-desktop");

    await box2.focus();
    await page.keyboard.press("Space");
    await waitFor(marked, (vms) => !vms.includes("vm-0002"), 5_000, "vm-0002 unmarked");
    await waitFor(() => box2.isEnabled(), (on) => on, 5_000, "box enabled again");
    expect(await box2.isChecked()).toBe(false);

    await page.reload();
    await vmCard(page, "vm-0001").waitFor();
    await waitFor(() => page.getByTestId("autostart-vm-0001").isChecked(), (on) => on, 5_000, "kept after reload");
    expect(await page.getByTestId("autostart-vm-0002").isChecked()).toBe(false);
  }, 30_000);

  test("at 390 px the switch sits inside its card", async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    const card = await vmCard(page, "vm-0001").boundingBox();
    const box = await page.getByTestId("autostart-vm-0001").locator("xpath=..").boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(card!.x);
    expect(box!.x + box!.width).toBeLessThanOrEqual(card!.x + card!.width + 0.5);
    await vmCard(page, "vm-0001").scrollIntoViewIfNeeded();
    await screenshot(page, "autostart-phone");
  }, 30_000);
});
