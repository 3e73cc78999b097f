// End-to-end: the compiled binary with the fake tart, driven through real headless Chromium.
// One server and one browser carry the main story in order (sign in → list → start → stop →
// pull → create → clone → delete → settings → a failing tart → retrying a failed pull → the server
// going away); separate ones cover the sign-in screen and a machine without tart. Screenshots
// land in test-output/e2e/.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import type { Locator } from "playwright-core";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { launch, screenshot, type Browser } from "./support/browser.ts";
import { retype, statusOf, taskEntry, taskStatusOf, vmCard, vmRow, waitFor } from "./support/ui.ts";

const IMAGE = "ghcr.io/cirruslabs/seed-image-1:latest";
const PULLED = "ghcr.io/cirruslabs/macos-sequoia-base:latest";
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
/** Per test: boots, pulls and a server start each take seconds (set here, not only in bunfig). */
const SLOW = 90_000;

let server: TestServer;
let browser: Browser;


beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  server = await startServer({
    binary: true,
    // vm-0004 is Linux: the VM created below comes from it, because tart gives a macOS VM at
    // least 4 cores and the host (whose cores the dialog enforces) may have fewer.
    seed: { local: 4, oci: 1 },
    // Slow enough to watch a boot and a pull progress through several steps.
    knobs: { boot_ms: 1200, pull_steps: 10, pull_interval_ms: 300 },
  });
  browser = await launch();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
});

describe("the main story", () => {
  test("signing in by the printed URL stores the token and cleans the address bar", async () => {
    const { page } = browser;
    await page.goto(`${server.base}/#token=${server.token}`);
    await page.getByTestId("app-shell").waitFor();
    expect(page.url()).toBe(`${server.base}/`);
    expect(await page.evaluate(() => localStorage.getItem("taartenfabriek.token"))).toBe(server.token);
    // The plain URL works later without pasting anything.
    await page.goto(`${server.base}/`);
    await page.getByTestId("app-shell").waitFor();
  }, SLOW);

  test("the list shows the fake tart's VMs in the right sections, as cards or a table", async () => {
    const { page } = browser;
    const oci = page.getByTestId("section-oci");
    const local = page.getByTestId("section-local");
    await vmCard(page, IMAGE).waitFor();
    expect(await oci.getByTestId(`vm-card-${IMAGE}`).count()).toBe(1);
    for (const name of ["vm-0001", "vm-0002", "vm-0003", "vm-0004"]) expect(await local.getByTestId(`vm-card-${name}`).count()).toBe(1);
    expect(await page.getByTestId("section-oci-count").textContent()).toBe("1");
    expect(await page.getByTestId("section-local-count").textContent()).toBe("4");
    await screenshot(page, "vms-cards");

    // Text filter narrows the list and the count says "1 of 3".
    await retype(page.getByTestId("vm-filter-text"), "vm-0002");
    await waitFor(() => local.locator("[data-vm-name]").count(), (n) => n === 1, 5000, "filtered list");
    expect(await page.getByTestId("section-local-count").textContent()).toBe("1 of 4");
    await retype(page.getByTestId("vm-filter-text"), "");

    // The table view is remembered across a reload.
    await page.getByTestId("view-toggle-table").click();
    await vmRow(page, "vm-0001").waitFor();
    await page.reload();
    await vmRow(page, "vm-0001").waitFor();
    await screenshot(page, "vms-table");
    await page.getByTestId("view-toggle-cards").click();
    await vmCard(page, "vm-0001").waitFor();
  }, SLOW);

  test("start a VM: live log, then the badge turns running with an IP; copy its ssh command", async () => {
    const { page } = browser;
    const card = vmCard(page, "vm-0001");
    expect(await statusOf(card)).toBe("stopped");
    await card.getByTestId("vm-action-start").click();
    const entry = taskEntry(page, "start_vm", "vm-0001");
    await entry.waitFor();
    // The log arrives over the websocket while the fake VM boots.
    await waitFor(() => entry.getByTestId("task-log").textContent(), (t) => !!t?.includes("tart run"), 10_000, "live log");
    await screenshot(page, "start-running");
    await waitFor(() => taskStatusOf(entry), (s) => s === "completed", 20_000, "start task");
    await waitFor(() => statusOf(card), (s) => s === "running", 10_000, "running badge");
    const ip = await waitFor(() => card.getByTestId("vm-ip").textContent(), (t) => IPV4.test(t ?? ""), 10_000, "IP");
    expect(await entry.getByTestId("task-result-ip").textContent()).toBe(ip);
    expect(await entry.getByTestId("task-result-vnc").getAttribute("href")).toBe(`vnc://${ip}`);
    expect(await card.getByTestId("vm-action-vnc").getAttribute("href")).toBe(`vnc://${ip}`);

    await card.getByTestId("vm-action-copy-ssh").click();
    const toast = page.getByTestId("toast").filter({ hasText: `ssh admin@${ip}` });
    await toast.waitFor();
    expect(await toast.getAttribute("data-kind")).toBe("success");
  }, SLOW);

  test("stop it", async () => {
    const { page } = browser;
    const card = vmCard(page, "vm-0001");
    await card.getByTestId("vm-action-stop").click();
    const entry = taskEntry(page, "stop_vm", "vm-0001");
    await waitFor(() => taskStatusOf(entry), (s) => s === "completed", 40_000, "stop task");
    await waitFor(() => statusOf(card), (s) => s === "stopped", 10_000, "stopped badge");
  }, SLOW);

  test("pull an image: the reference is validated as typed, the bar moves, the image appears", async () => {
    const { page } = browser;
    await page.getByTestId("pull-button").click();
    const dialog = page.getByTestId("dialog-pull");
    await dialog.waitFor();
    await retype(page.getByTestId("pull-ref-input"), "ghcr.io/CirrusLabs/Macos");
    expect(await page.getByTestId("pull-ref-error").textContent()).toContain("lowercase");
    expect(await page.getByTestId("pull-submit").isDisabled()).toBe(true);
    await retype(page.getByTestId("pull-ref-input"), PULLED);
    expect(await page.getByTestId("pull-ref-error").count()).toBe(0);
    await page.getByTestId("pull-submit").click();
    await dialog.waitFor({ state: "detached" });

    const entry = taskEntry(page, "pull_vm", PULLED);
    await entry.waitFor();
    const seen = new Set<number>();
    let shot = false;
    await waitFor(
      async () => {
        const value = await entry.getByTestId("task-progress").getAttribute("data-value").catch(() => null);
        if (value) seen.add(Number(value));
        if (!shot && value && Number(value) > 0 && Number(value) < 100) {
          shot = true;
          await screenshot(page, "pull-progress");
        }
        return taskStatusOf(entry);
      },
      (s) => s === "completed",
      30_000,
      "pull task",
    );
    const between = [...seen].filter((v) => v > 0 && v < 100);
    expect(between.length).toBeGreaterThanOrEqual(2); // it moved, not jumped from nothing to done
    expect(await entry.getByTestId("task-progress").getAttribute("data-value")).toBe("100");
    await page.getByTestId("section-oci").getByTestId(`vm-card-${PULLED}`).waitFor();
  }, SLOW);

  test("create a VM with custom CPU, memory and disk, and see them in its config", async () => {
    const { page } = browser;
    const cores = Math.min(2, (await server.get("/api/health")).host.cpu_cores);
    await vmCard(page, IMAGE).getByTestId("vm-action-create").click();
    await page.getByTestId("dialog-create").waitFor();
    expect(await page.getByTestId("create-source-select").inputValue()).toBe(IMAGE);
    await retype(page.getByTestId("create-cpu-input"), "100");
    expect(await page.getByTestId("create-cpu-error").textContent()).toContain("1 to 64");
    await retype(page.getByTestId("create-name-input"), "vm-0002");
    expect(await page.getByTestId("create-name-error").textContent()).toContain("already exists");

    await page.getByTestId("create-source-select").selectOption("vm-0004");
    await retype(page.getByTestId("create-name-input"), "e2e-dev");
    await retype(page.getByTestId("create-cpu-input"), String(cores));
    await retype(page.getByTestId("create-memory-input"), "12");
    await retype(page.getByTestId("create-disk-input"), "70");
    await page.getByTestId("create-submit").click();
    await page.getByTestId("dialog-create").waitFor({ state: "detached" });
    const entry = taskEntry(page, "create_vm", "e2e-dev");
    await waitFor(() => taskStatusOf(entry), (s) => s === "completed" || s === "failed", 20_000, "create task");
    expect(await taskStatusOf(entry)).toBe("completed");

    const card = vmCard(page, "e2e-dev");
    await card.waitFor();
    await card.getByTestId("vm-action-config").click();
    const dialog = page.getByTestId("dialog-config");
    await dialog.getByTestId("config-cpu").waitFor();
    expect(await dialog.getByTestId("config-cpu").textContent()).toBe(`${cores} ${cores === 1 ? "core" : "cores"}`);
    expect(await dialog.getByTestId("config-memory").textContent()).toBe("12 GB");
    expect(await dialog.getByTestId("config-disk").textContent()).toBe("70 GB");
    const raw = JSON.parse((await dialog.getByTestId("config-raw").textContent()) ?? "{}");
    expect(raw.CPU).toBe(cores);
    await screenshot(page, "config");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  }, SLOW);

  test("clone with start: the clone appears and runs", async () => {
    const { page } = browser;
    await vmCard(page, "vm-0002").getByTestId("vm-action-clone").click();
    await page.getByTestId("dialog-clone").waitFor();
    await retype(page.getByTestId("clone-name-input"), "e2e-clone");
    await page.getByTestId("clone-start-checkbox").check();
    await page.getByTestId("clone-submit").click();
    await page.getByTestId("dialog-clone").waitFor({ state: "detached" });
    const entry = taskEntry(page, "clone_vm", "e2e-clone"); // a clone task is about the new VM
    await waitFor(() => taskStatusOf(entry), (s) => s === "completed" || s === "failed", 30_000, "clone task");
    expect(await taskStatusOf(entry)).toBe("completed");
    const card = vmCard(page, "e2e-clone");
    await card.waitFor();
    await waitFor(() => statusOf(card), (s) => s === "running", 15_000, "clone running");
  }, SLOW);

  test("delete asks for confirmation naming the VM; Escape cancels, focus stays in the dialog", async () => {
    const { page } = browser;
    const card = vmCard(page, "vm-0003");
    await card.getByTestId("vm-action-delete").click();
    const dialog = page.getByTestId("dialog-confirm-delete");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("vm-0003");
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => !!document.activeElement?.closest("dialog"))).toBe(true);
    }
    await screenshot(page, "delete-confirm");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await card.count()).toBe(1);

    await card.getByTestId("vm-action-delete").click();
    await page.getByTestId("confirm-delete-button").click();
    await card.waitFor({ state: "detached", timeout: 20_000 });
  }, SLOW);

  test("set and clear the GitHub token; the settings show versions and the data dir", async () => {
    const { page } = browser;
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("settings-form").waitFor();
    expect(page.url()).toBe(`${server.base}/settings`);
    await waitFor(() => page.getByTestId("settings-tart-version").textContent(), (t) => t === "2.32.1", 5000, "tart version");
    expect(await page.getByTestId("settings-app-version").textContent()).toBe("0.1.0");
    expect(await page.getByTestId("settings-data-dir").textContent()).toBe(server.dataDir);

    const secret = "ghp_e2eTestToken0123456789abcdef";
    await retype(page.getByTestId("github-token-input"), secret);
    await page.getByTestId("github-token-save").click();
    const masked = page.getByTestId("github-token-masked");
    await masked.waitFor();
    expect(await masked.textContent()).not.toContain(secret);
    expect(await page.getByTestId("github-token-input").inputValue()).toBe("");
    await screenshot(page, "settings");
    await page.getByTestId("github-token-clear").click();
    await waitFor(() => page.getByTestId("github-token-status").textContent(), (t) => !!t?.includes("Not configured"), 5000, "cleared");
    expect((await server.get("/api/settings/github-token")).configured).toBe(false);
  }, SLOW);

  test("a failing tart shows its error in the task and in the history", async () => {
    const { page } = browser;
    const message = "The number of VMs exceeds the system limit (other running VMs: e2e-clone, x)";
    server.setKnobs({ run_fail: { stderr: message, exit: 1 } });
    await page.getByTestId("nav-vms").click();
    // The panel still lists the earlier, completed start of vm-0001: clear it so the entry found
    // below can only be the new one.
    const clear = page.getByTestId("task-clear-finished");
    if (await clear.isVisible()) await clear.click();
    await vmCard(page, "vm-0001").getByTestId("vm-action-start").click();
    const entry = taskEntry(page, "start_vm", "vm-0001");
    await waitFor(() => taskStatusOf(entry), (s) => s === "failed", 20_000, "failed start");
    // One sentence on screen; tart's own words once, folded away in the entry.
    expect(await entry.getByTestId("task-error-summary").textContent()).toContain("at most two macOS VMs");
    expect(await entry.getByTestId("task-stderr").textContent()).toContain(message);
    await page.getByTestId("toast").filter({ hasText: "at most two macOS VMs" }).first().waitFor();
    server.setKnobs({}); // the start knobs again: tart works

    await page.getByTestId("nav-operations").click();
    const history = page.getByTestId("task-history");
    const failed = history.locator('li[data-action="start_vm"][data-status="failed"]').first();
    await failed.waitFor();
    expect(await failed.getByTestId("history-error-text").textContent()).toContain("at most two macOS VMs");
    await failed.locator("button.history-summary").click();
    expect(await failed.locator(".raw-output pre").textContent()).toContain(message);
    await waitFor(() => failed.locator("pre.log").textContent(), (t) => !!t && t !== "Loading…", 5000, "full log");
    expect(await history.locator('li[data-action="pull_vm"][data-status="completed"]').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, "operations");
  }, SLOW);

  test("a pull cut off by the network fails with tart's words; Retry pulls it again", async () => {
    const { page } = browser;
    const ref = "ghcr.io/cirruslabs/ubuntu:latest";
    server.setKnobs({ fail: { pull: { stderr: "Error: The network connection was lost.", exit: 1 } } });
    await page.getByTestId("nav-vms").click();
    await page.getByTestId("pull-button").click();
    await retype(page.getByTestId("pull-ref-input"), ref);
    await page.getByTestId("pull-submit").click();
    const failed = taskEntry(page, "pull_vm", ref);
    await waitFor(() => taskStatusOf(failed), (s) => s === "failed", 20_000, "failed pull");
    expect(await failed.getByTestId("task-error").textContent()).toContain("The network connection was lost.");
    const failedId = await failed.getAttribute("data-task-id");

    server.setKnobs({}); // the start knobs again: the network is back
    await failed.getByTestId("task-retry").click();
    const retried = taskEntry(page, "pull_vm", ref);
    await waitFor(() => retried.getAttribute("data-task-id"), (id) => !!id && id !== failedId, 10_000, "a new task");
    await waitFor(() => taskStatusOf(retried), (s) => s === "completed", 30_000, "retried pull");
    await page.getByTestId("section-oci").getByTestId(`vm-card-${ref}`).waitFor();
  }, SLOW);

  test("the server going away shows a reconnecting banner, not a frozen page", async () => {
    const { page } = browser;
    await page.getByTestId("nav-vms").click();
    await server.stop();
    await page.getByTestId("banner-offline").waitFor({ timeout: 20_000 });
    await screenshot(page, "server-gone");
  }, SLOW);
});

describe("other entry points", () => {
  test("without a token: the sign-in screen explains where the token is and accepts a pasted one", async () => {
    const other = await startServer({ binary: true, seed: { local: 1 } });
    const fresh = await launch({ colorScheme: "dark", viewport: { width: 420, height: 860 } });
    try {
      const { page } = fresh;
      await page.goto(`${other.base}/`);
      await page.getByTestId("signin-form").waitFor();
      expect(await page.getByTestId("signin-form").textContent()).toContain("~/.tartvm-manager/token");
      await retype(page.getByTestId("signin-token-input"), "not-the-token");
      await page.getByTestId("signin-submit").click();
      await page.getByTestId("signin-error").waitFor();
      await screenshot(page, "sign-in-narrow-dark");
      // Pasting the whole printed URL works too.
      await retype(page.getByTestId("signin-token-input"), `${other.base}/#token=${other.token}`);
      await page.getByTestId("signin-submit").click();
      await vmCard(page, "vm-0001").waitFor();
      await screenshot(page, "vms-narrow-dark");
    } finally {
      await fresh.close();
      await other.stop();
    }
  }, SLOW);

  test("without tart: a banner says how to install it and VM actions are disabled", async () => {
    const other = await startServer({ binary: true, tart: null });
    const fresh = await launch();
    try {
      const { page } = fresh;
      await page.goto(`${other.base}/#token=${other.token}`);
      const banner = page.getByTestId("banner-tart-missing");
      await banner.waitFor();
      expect(await banner.textContent()).toContain("brew install cirruslabs/cli/tart");
      expect(await page.getByTestId("pull-button").isDisabled()).toBe(true);
      await screenshot(page, "tart-missing");
    } finally {
      await fresh.close();
      await other.stop();
    }
  }, SLOW);
});
