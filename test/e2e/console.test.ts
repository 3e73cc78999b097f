// The browser console and shell as a person uses them, in Chromium against the compiled binary:
// a Linux VM started "with console" from its card, the console opened from the start result; the
// canvas shows the colour set with xsetroot, then a new one; keys typed into the canvas and
// Ctrl+Alt+Del from the send-keys menu arrive at the X server (xev); closing the tab closes the
// TCP side; the VNC server dying is explained; the shell page runs a command. 1440 and 390 px.
// Screenshots land in test-output/e2e/console-*.png.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { setRootColour } from "../support/vnc-server.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { taskEntry, vmCard, waitFor } from "./support/ui.ts";

const VM = "vm-0004"; // Linux
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  server = await startServer({ binary: true, seed: { local: 4, oci: 0 }, knobs: { vm_limit: 0 } });
  browser = await openDashboard(server, { viewport: { width: 1440, height: 900 } });
  await vmCard(browser.page, VM).waitFor();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
});

const guestScreen = () => JSON.parse(readFileSync(join(server.tartHome, "vms", VM, "fake-vnc.json"), "utf8"));
const pixel = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>("[data-testid=console-screen] canvas")!;
    return [...canvas.getContext("2d")!.getImageData(10, 10, 1, 1).data.slice(0, 3)];
  });
const upstreams = (port: number) =>
  Bun.spawnSync(["ss", "-tnH", "state", "established", `( dport = :${port} )`]).stdout.toString().trim().split("\n").filter(Boolean).length;

/** `xev -root -event keyboard` on the guest's display, collecting what it prints. */
function watchKeys(display: string) {
  const proc = Bun.spawn(["xev", "-root", "-event", "keyboard"], { env: { ...process.env, DISPLAY: display }, stdout: "pipe", stderr: "ignore" });
  let text = "";
  void (async () => {
    const decoder = new TextDecoder();
    const reader = proc.stdout.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value);
  })();
  return { text: () => text, stop: () => proc.kill() };
}

describe("the console", () => {
  let consolePage: Page;

  test("started with console from the card, opened from the start result, it shows the guest's screen", async () => {
    const { page, context } = browser;
    await vmCard(page, VM).getByRole("button", { name: `Start with console ${VM}` }).click();
    const entry = taskEntry(page, "start_vm", VM);
    const open = entry.getByTestId("task-result-console");
    await open.waitFor({ timeout: 30_000 });
    await setRootColour(guestScreen().display, "#ff0000");
    const [popup] = await Promise.all([context.waitForEvent("page"), open.click()]);
    consolePage = popup;
    consolePage.on("pageerror", (err) => console.error(`[console pageerror] ${err.message}`));
    await consolePage.setViewportSize({ width: 1440, height: 900 });
    await waitFor(() => consolePage.getByTestId("console-status").getAttribute("data-kind"), (kind) => kind === "connected", 15_000, "connected");
    await waitFor(() => pixel(consolePage), (p) => p.join() === "255,0,0", 10_000, "red screen");
    await setRootColour(guestScreen().display, "#00ff00");
    await waitFor(() => pixel(consolePage), (p) => p.join() === "0,255,0", 10_000, "green screen");
    expect(await consolePage.getByTestId("console-vm-facts").textContent()).toContain("running");
    await screenshot(consolePage, "console-desktop", { fullPage: false });
  }, 60_000);

  test("typed keys and Ctrl+Alt+Del from the send-keys menu reach the guest", async () => {
    const keys = watchKeys(guestScreen().display);
    try {
      await Bun.sleep(300); // xev has selected its events
      await consolePage.getByTestId("console-screen").locator("canvas").click();
      await consolePage.keyboard.type("hi");
      await consolePage.getByTestId("console-keys").click();
      await consolePage.getByTestId("console-key-ctrl-alt-del").click();
      await waitFor(async () => keys.text(), (text) => /keysym 0x[0-9a-f]+, Delete/.test(text), 10_000, "Delete in xev");
      const pressed = [...keys.text().matchAll(/KeyPress event[\s\S]*?keysym 0x[0-9a-f]+, (\w+)\)/g)].map((m) => m[1]);
      expect(pressed).toEqual(expect.arrayContaining(["h", "i", "Control_L", "Alt_L", "Delete"]));
      expect(pressed.indexOf("h")).toBeLessThan(pressed.indexOf("i"));
      expect(pressed.indexOf("Control_L")).toBeLessThan(pressed.indexOf("Delete"));
    } finally {
      keys.stop();
    }
  }, 30_000);

  test("at 390 px the toolbar wraps and the screen stays in view; Escape closes the keys menu", async () => {
    await consolePage.setViewportSize({ width: 390, height: 844 });
    await consolePage.getByTestId("console-keys").click();
    await consolePage.getByTestId("console-key-f1").waitFor();
    await consolePage.getByTestId("console-key-f1").press("Escape");
    await consolePage.getByTestId("console-key-f1").waitFor({ state: "detached" });
    const box = await consolePage.getByTestId("console-screen").boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    expect(box!.height).toBeGreaterThan(200);
    await screenshot(consolePage, "console-phone", { fullPage: false });
    await consolePage.setViewportSize({ width: 1440, height: 900 });
  }, 20_000);

  test("closing the tab closes the TCP side", async () => {
    const port = guestScreen().port;
    expect(upstreams(port)).toBe(1);
    await consolePage.close();
    await waitFor(async () => upstreams(port), (n) => n === 0, 10_000, "upstream closed");
  }, 20_000);

  test("the VNC server dying is explained on the page", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.base}/vms/${VM}/console`);
    await waitFor(() => page.getByTestId("console-status").getAttribute("data-kind"), (kind) => kind === "connected", 15_000, "connected");
    process.kill(guestScreen().pid, "SIGKILL");
    await waitFor(() => page.getByTestId("console-status").textContent(), (text) => /VM stopped|VNC server closed/.test(text ?? ""), 10_000, "explained");
    await screenshot(page, "console-closed", { fullPage: false });
    await page.close();
  }, 30_000);
});

describe("the shell", () => {
  test("runs a command in the guest through tart exec", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.base}/vms/${VM}/shell`);
    await waitFor(() => page.getByTestId("shell-status").textContent(), (text) => /Connected/.test(text ?? ""), 15_000, "connected");
    await page.getByTestId("shell-terminal").click();
    await page.keyboard.type("echo shell-$((40+2))");
    await page.keyboard.press("Enter");
    await waitFor(() => page.getByTestId("shell-terminal").textContent(), (text) => /shell-42/.test(text ?? ""), 10_000, "output");
    await screenshot(page, "console-shell", { fullPage: false });
    await page.keyboard.type("exit");
    await page.keyboard.press("Enter");
    await waitFor(() => page.getByTestId("shell-status").textContent(), (text) => /shell ended/.test(text ?? ""), 10_000, "ended");
    await page.close();
  }, 30_000);
});
