// The VM lifecycle as a person uses it, in Chromium against the compiled binary and the fake
// tart: a VM renamed (the name typed key by key and checked as typed), its settings edited in a
// dialog prefilled from its config, a macOS VM started suspendable, suspended and resumed; at
// 1440 and 390 px. Screenshots land in test-output/e2e/lifecycle-*.png.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import type { Locator } from "playwright-core";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { retype, statusOf, taskEntry, taskStatusOf, vmCard, waitFor } from "./support/ui.ts";

const SLOW = 90_000;
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  server = await startServer({ binary: true, seed: { local: 3, oci: 0 }, knobs: { vm_limit: 0 } });
  browser = await openDashboard(server, { viewport: DESKTOP });
  await vmCard(browser.page, "vm-0001").waitFor();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
});


describe("rename", () => {
  test("the new name is checked as it is typed; Enter renames; Escape closes", async () => {
    const { page } = browser;
    const card = vmCard(page, "vm-0002");
    await card.getByRole("button", { name: "Rename vm-0002" }).click();
    const dialog = page.getByTestId("dialog-rename");
    await dialog.waitFor();
    const field = page.getByTestId("rename-name-input");
    expect(await field.inputValue()).toBe("vm-0002");

    await retype(field, "build box");
    expect(await page.getByTestId("rename-name-error").textContent()).toBe("Use only letters, digits, dot, underscore and hyphen.");
    await retype(field, "VM-0001");
    expect(await page.getByTestId("rename-name-error").textContent()).toBe('A VM named "vm-0001" already exists (names ignore case).');
    await screenshot(page, "lifecycle-rename-invalid");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    await card.getByRole("button", { name: "Rename vm-0002" }).click();
    await retype(page.getByTestId("rename-name-input"), "build-box");
    expect(await page.getByTestId("rename-name-error").count()).toBe(0);
    await page.getByTestId("rename-name-input").press("Enter");
    await dialog.waitFor({ state: "detached" });
    await vmCard(page, "build-box").waitFor();
    await card.waitFor({ state: "detached" });
    expect(await taskStatusOf(taskEntry(page, "rename_vm", "vm-0002"))).toBe("completed");
    expect(await taskEntry(page, "rename_vm", "vm-0002").getByTestId("task-title").textContent()).toBe("Rename vm-0002 → build-box");
  }, SLOW);
});

describe("settings", () => {
  test("prefilled from the config, checked as typed, applied with Enter; at 1440 and 390 px", async () => {
    const { page } = browser;
    const card = vmCard(page, "build-box");
    await card.getByRole("button", { name: "Settings build-box" }).click();
    await page.getByTestId("settings-form").waitFor();
    const cpu = page.getByTestId("settings-cpu-input");
    const memory = page.getByTestId("settings-memory-input");
    const disk = page.getByTestId("settings-disk-input");
    const display = page.getByTestId("settings-display-input");
    expect([await cpu.inputValue(), await memory.inputValue(), await disk.inputValue(), await display.inputValue()]).toEqual(["4", "8", "50", "1024x768"]);

    await retype(disk, "40");
    expect(await page.getByTestId("settings-disk-error").textContent()).toBe("tart can only grow a disk: enter more than 50 (or leave it at 50).");
    await retype(display, "1280 by 800");
    expect(await page.getByTestId("settings-display-error").textContent()).toContain("WIDTHxHEIGHT");
    await retype(memory, "2");
    expect(await page.getByTestId("settings-memory-error").textContent()).toBe("tart gives a macOS VM at least 4 GB of memory.");
    await screenshot(page, "lifecycle-settings-invalid-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "lifecycle-settings-invalid-phone", { fullPage: false });
    await page.setViewportSize(DESKTOP);

    await retype(memory, "6");
    await retype(disk, "64");
    await retype(display, "1280x800");
    for (const field of ["memory", "disk", "display"]) expect(await page.getByTestId(`settings-${field}-error`).count()).toBe(0);
    await display.press("Enter");
    await page.getByTestId("dialog-settings").waitFor({ state: "detached" });
    const entry = taskEntry(page, "settings_vm", "build-box");
    await waitFor(() => taskStatusOf(entry), (s) => s === "completed", 20_000, "the settings task");
    const config = await server.get("/api/vms/build-box/config?force_refresh=true");
    expect(config).toMatchObject({ cpu: 4, memory: "6G", disk_size: "64G", display: "1280x800" });
    const set = server.argvLog().filter((argv) => argv[0] === "set").at(-1);
    expect(set).toEqual(["set", "build-box", "--memory", "6144", "--display", "1280x800", "--disk-size", "64"]);

    // Opened again it shows the new values; Escape closes it without a request.
    await card.getByRole("button", { name: "Settings build-box" }).click();
    await page.getByTestId("settings-form").waitFor();
    expect(await page.getByTestId("settings-memory-input").inputValue()).toBe("6");
    await page.keyboard.press("Escape");
    await page.getByTestId("dialog-settings").waitFor({ state: "detached" });
  }, SLOW);
});

describe("suspend and resume", () => {
  test("a VM started suspendable shows Suspend; suspended it says so and offers Resume", async () => {
    const { page } = browser;
    const card = vmCard(page, "vm-0001");
    // A VM started the usual way offers no Suspend.
    await card.getByRole("button", { name: "Start suspendable vm-0001" }).click();
    const suspend = card.getByRole("button", { name: "Suspend vm-0001" });
    await suspend.waitFor({ timeout: 20_000 });
    expect(await statusOf(card)).toBe("running");
    await screenshot(page, "lifecycle-running-suspendable");
    await suspend.click();
    const badge = card.getByTestId("vm-status");
    await waitFor(() => badge.textContent(), (t) => (t ?? "").trim() === "suspended", 20_000, "the suspended badge");
    expect(await taskStatusOf(taskEntry(page, "suspend_vm", "vm-0001"))).toBe("completed");
    const resume = card.getByRole("button", { name: "Resume vm-0001" });
    await resume.waitFor();
    await screenshot(page, "lifecycle-suspended-desktop");
    await page.setViewportSize(PHONE);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "lifecycle-suspended-phone", { fullPage: false });
    await page.setViewportSize(DESKTOP);

    await resume.click();
    await card.getByRole("button", { name: "Suspend vm-0001" }).waitFor({ timeout: 20_000 });
    const entry = taskEntry(page, "start_vm", "vm-0001");
    await waitFor(() => taskStatusOf(entry), (s) => s === "completed", 20_000, "the resume");
    expect(await entry.getByTestId("task-result").textContent()).toContain("VM vm-0001 resumed");
    await screenshot(page, "lifecycle-resumed");

    // A VM started without suspendable shows no Suspend button.
    await vmCard(page, "vm-0003").getByRole("button", { name: "Start vm-0003" }).click();
    await waitFor(() => statusOf(vmCard(page, "vm-0003")), (s) => s === "running", 20_000, "vm-0003 running");
    expect(await vmCard(page, "vm-0003").getByRole("button", { name: "Suspend vm-0003" }).count()).toBe(0);

    // The table's row actions carry the same verbs, icons only.
    await page.getByTestId("view-toggle-table").click();
    const row = page.getByTestId("vm-row-vm-0001");
    await row.getByRole("button", { name: "Suspend vm-0001" }).waitFor();
    expect(await page.getByTestId("vm-row-build-box").getByRole("button", { name: "Rename build-box" }).isEnabled()).toBe(true);
    await screenshot(page, "lifecycle-table-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "lifecycle-table-phone", { fullPage: false });
    await page.setViewportSize(DESKTOP);
    await page.getByTestId("view-toggle-cards").click();
  }, SLOW);
});

describe("force stop", () => {
  test("a stop that hangs turns Stop into Force stop, which stops the VM", async () => {
    const { page } = browser;
    const card = vmCard(page, "vm-0003");
    await waitFor(() => statusOf(card), (s) => s === "running", 20_000, "vm-0003 running");
    server.setKnobs({ vm_limit: 0, hang: "stop" });
    try {
      await card.getByRole("button", { name: "Stop vm-0003" }).click();
      const force = card.getByRole("button", { name: "Force stop vm-0003" });
      await force.waitFor({ timeout: 15_000 });
      expect(await card.getByTestId("vm-busy-label").textContent()).toBe("Stopping…");
      await screenshot(page, "lifecycle-force-stop-offered");
      await force.click();
      await waitFor(() => statusOf(card), (s) => s === "stopped", 30_000, "vm-0003 stopped");
    } finally {
      server.setKnobs({ vm_limit: 0 });
    }
    const stops = page.locator('[data-testid="task-panel"] li[data-action="stop_vm"][data-vm-name="vm-0003"]');
    expect(await stops.count()).toBe(2);
    expect(await stops.nth(1).getByTestId("task-error-summary").textContent()).toBe("Cancelled; a force stop took over");
    await screenshot(page, "lifecycle-force-stopped");
  }, SLOW);
});
