// End-to-end, as a person uses the forms: the compiled binary with the fake tart (and a fake
// GitHub for the catalogue), headless Chromium typing key by key. Every text field of every
// dialog is typed into with pressSequentially and must keep focus and the whole value; forms are
// submitted with Enter and checked by the request that reached tart (its argv log) or the task
// that appeared. Also: the catalogue's error and empty states, the create refusals, failed tasks
// explained once (with Retry only where it helps), the History filter, a #token URL pasted into
// an open tab, and the "checking tart" state. Screenshots land in test-output/e2e/forms-*.png.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { CURATED_IMAGES } from "../../src/adapters/catalogue/curated-images.ts";
import { cirruslabsRepositories } from "../support/cirruslabs-registry.ts";
import { startFakeGhcr, type FakeGhcr } from "../support/fake-ghcr.ts";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.ts";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { launch, openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { focused, taskEntry, taskStatusOf, typeInto, vmCard, waitFor } from "./support/ui.ts";

const IMAGE = "ghcr.io/cirruslabs/seed-image-1:latest";
const GITHUB_TOKEN = "ghp_formsTestToken0123456789";
const SLOW = 90_000;
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let github: FakeGithub;
let ghcr: FakeGhcr;
let server: TestServer;
let browser: Browser;
let pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  github = startFakeGithub(GITHUB_TOKEN);
  const GB = 1024 ** 3;
  ghcr = startFakeGhcr(
    cirruslabsRepositories(
      { diskBytes: 50 * GB, compressedBytes: 21 * GB, uploadedAt: "2026-11-28T10:00:00Z" },
      { ubuntu: { "22.04": { diskBytes: 20 * GB, compressedBytes: 2 * GB, uploadedAt: "2026-11-28T10:00:00Z" } } },
    ),
  );
  server = await startServer({
    binary: true,
    seed: { local: 4, oci: 1 }, // vm-0004 is Linux: tart gives macOS VMs at least 4 cores, more than a CI host may have
    env: { TARTVM_GITHUB_API_URL: github.url, TARTVM_GHCR_URL: ghcr.url },
    knobs: { boot_ms: 300, pull_steps: 3, pull_interval_ms: 50 },
  });
  browser = await openDashboard(server, { viewport: DESKTOP, pageErrors });
}, 30_000);

afterEach(async () => {
  // No test may leave an uncaught error in the page (the catalogue's 502 used to throw).
  const errors = pageErrors;
  pageErrors = [];
  await browser.page.setViewportSize(DESKTOP);
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stopAll();
  github?.stop();
  ghcr?.stop();
});


/** Waits until tart was called with argv containing `parts` in order; returns that argv. */
async function tartCalled(...parts: string[]): Promise<string[]> {
  const match = (argv: string[]) => parts.every((p) => argv.includes(p)) && argv.indexOf(parts[0]!) <= argv.indexOf(parts.at(-1)!);
  const log = await waitFor(async () => server.argvLog(), (all) => all.some(match), 15_000, `tart ${parts.join(" ")}`);
  return log.find(match)!;
}

async function openVms(page: Page) {
  await page.getByTestId("nav-vms").click();
  await vmCard(page, "vm-0001").waitFor();
}

async function clearFinished(page: Page) {
  const clear = page.getByTestId("task-clear-finished");
  if (await clear.isVisible()) await clear.click();
}

/** Visible text only: a closed <details> does not count. */
const visibleText = (locator: Locator) => locator.evaluate((el) => (el as HTMLElement).innerText);

describe("every dialog field can be typed into", () => {
  test("pull: the reference is typed key by key, Enter pulls it, Escape closes the dialog", async () => {
    const { page } = browser;
    const ref = "ghcr.io/cirruslabs/ubuntu:latest";
    await page.getByTestId("pull-button").click();
    await page.getByTestId("dialog-pull").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("dialog-pull").waitFor({ state: "detached" });

    await page.getByTestId("pull-button").click();
    await typeInto(page, "pull-ref-input", ref);
    await screenshot(page, "forms-pull-typed");
    await page.keyboard.press("Enter");
    await page.getByTestId("dialog-pull").waitFor({ state: "detached" });
    await tartCalled("pull", ref);
    await waitFor(() => taskStatusOf(taskEntry(page, "pull_vm", ref)), (s) => s === "completed", 20_000, "pull");
  }, SLOW);

  test("create: name, CPU, memory and disk are typed; Enter creates a VM with exactly those values", async () => {
    const { page } = browser;
    const cores = String(Math.min(2, (await server.get("/api/health")).host.cpu_cores));
    await page.getByTestId("create-button").click();
    await page.getByTestId("dialog-create").waitFor();
    expect(await focused(page)).toBe("create-name-input");
    await page.getByTestId("create-source-select").selectOption("vm-0004");
    await typeInto(page, "create-name-input", "typed-vm", { clear: true });
    await typeInto(page, "create-cpu-input", cores, { clear: true });
    await typeInto(page, "create-memory-input", "4", { clear: true });
    await typeInto(page, "create-disk-input", "64", { clear: true });
    await page.keyboard.press("Enter");
    await page.getByTestId("dialog-create").waitFor({ state: "detached" });
    await tartCalled("clone", "vm-0004", "typed-vm");
    const set = await tartCalled("set", "typed-vm");
    expect(set).toEqual(expect.arrayContaining(["--cpu", cores, "--memory", "4096", "--disk-size", "64"]));
    await waitFor(() => taskStatusOf(taskEntry(page, "create_vm", "typed-vm")), (s) => s === "completed", 20_000, "create");
  }, SLOW);

  test("clone: the new name is typed, Enter clones, the task says source → target", async () => {
    const { page } = browser;
    await vmCard(page, "vm-0002").getByTestId("vm-action-clone").click();
    await page.getByTestId("dialog-clone").waitFor();
    await typeInto(page, "clone-name-input", "typed-clone", { clear: true });
    await page.keyboard.press("Enter");
    await page.getByTestId("dialog-clone").waitFor({ state: "detached" });
    await tartCalled("clone", "vm-0002", "typed-clone");
    const entry = taskEntry(page, "clone_vm", "typed-clone");
    await waitFor(() => taskStatusOf(entry), (s) => s === "completed", 20_000, "clone");
    expect(await entry.getByTestId("task-title").textContent()).toBe("Clone vm-0002 → typed-clone");
  }, SLOW);

  test("the toolbar filter keeps focus while typing", async () => {
    const { page } = browser;
    await typeInto(page, "vm-filter-text", "vm-0003");
    await waitFor(() => page.getByTestId("section-local").locator("[data-vm-name]").count(), (n) => n === 1, 5000, "filtered");
    await typeInto(page, "vm-filter-text", "", { clear: true });
  }, SLOW);
});

describe("the catalogue in the Pull dialog", () => {
  test("with no token it lists the built-in images with registry tags and sizes; searching is typed; a failed load shows the error with Retry", async () => {
    const { page } = browser;
    await page.getByTestId("pull-button").click();
    const list = page.getByTestId("catalogue");
    await list.waitFor();
    expect(await list.locator("li").count()).toBe(CURATED_IMAGES.length);
    expect(await page.getByTestId("catalogue-offline").count()).toBe(0);
    const ubuntu = page.getByTestId("catalogue-item-ubuntu");
    expect(await ubuntu.getByTestId("catalogue-tag").locator("option").allTextContents()).toEqual(["latest", "22.04"]);
    await ubuntu.getByTestId("catalogue-tag").selectOption("22.04");
    // Sizes come from the manifests, read after the tags: reopen until they have arrived.
    await waitFor(
      async () => {
        await page.keyboard.press("Escape");
        await page.getByTestId("pull-button").click();
        await page.getByTestId("catalogue").waitFor();
        return page.getByTestId("catalogue-item-ubuntu").getByTestId("catalogue-facts").textContent();
      },
      (text) => !!text?.includes("21 GB download · 50 GB disk"),
      15_000,
      "sizes from the manifests",
    );
    await typeInto(page, "catalogue-search", "sequoia-xcode");
    await waitFor(() => page.getByTestId("catalogue").locator("li").count(), (n) => n === 1, 5000, "search");
    await screenshot(page, "forms-catalogue-search");
    await typeInto(page, "catalogue-search", "zzz", { clear: true });
    await page.getByTestId("catalogue-no-match").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("dialog-pull").waitFor({ state: "detached" });

    // The server failing the request (a 502 from a proxy, say): the error, not "Loading…" forever.
    await page.route("**/api/vms/available-images", (route) =>
      route.fulfill({ status: 502, contentType: "application/json", body: JSON.stringify({ detail: "Bad gateway" }) }),
    );
    await page.getByTestId("pull-button").click();
    const error = page.getByTestId("catalogue-error");
    await error.waitFor({ timeout: 5000 });
    expect(await page.getByTestId("catalogue-loading").count()).toBe(0);
    await screenshot(page, "forms-catalogue-error");
    await page.setViewportSize(PHONE);
    await screenshot(page, "forms-catalogue-error-phone");
    await page.setViewportSize(DESKTOP);
    await page.unroute("**/api/vms/available-images");
    await page.getByTestId("catalogue-retry").click();
    await page.getByTestId("catalogue").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("dialog-pull").waitFor({ state: "detached" });
  }, SLOW);

  test("a token GitHub refuses is turned away in Settings with the reason; a good one is kept", async () => {
    const { page } = browser;
    await page.getByTestId("nav-settings").click();
    await typeInto(page, "github-token-input", "ghp_refusedByGithub42");
    await page.keyboard.press("Enter");
    const refused = page.getByTestId("settings-error");
    await refused.waitFor();
    expect(await refused.textContent()).toContain("GitHub refused");
    expect(await page.getByTestId("github-token-masked").count()).toBe(0);
    await typeInto(page, "github-token-input", GITHUB_TOKEN, { clear: true });
    await page.keyboard.press("Enter");
    await page.getByTestId("github-token-masked").waitFor();
    await page.getByTestId("github-token-clear").click();
    await openVms(page);
  }, SLOW);
});

describe("create refuses what tart would refuse", () => {
  test("a disk below the source's and more cores than the host are refused inline; the dialog stays with the values", async () => {
    const { page } = browser;
    const health = await server.get("/api/health");
    const tooMany = String(health.host.cpu_cores + 1);
    await vmCard(page, IMAGE).getByTestId("vm-action-create").click();
    await page.getByTestId("dialog-create").waitFor();
    await typeInto(page, "create-name-input", "refused-vm", { clear: true });
    await typeInto(page, "create-cpu-input", tooMany, { clear: true });
    await typeInto(page, "create-disk-input", "20", { clear: true });
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("create-cpu-error").textContent()).toContain(`at most ${health.host.cpu_cores}`);
    expect(await page.getByTestId("create-disk-error").textContent()).toContain("50 or more");
    await screenshot(page, "forms-create-refused");
    expect(await page.getByTestId("dialog-create").isVisible()).toBe(true);
    expect(await page.getByTestId("create-disk-input").inputValue()).toBe("20");
    expect(server.argvLog().some((argv) => argv.includes("refused-vm"))).toBe(false);

    // The server's own refusal (422) also keeps the dialog open, next to the field it names.
    await typeInto(page, "create-cpu-input", "1", { clear: true });
    await typeInto(page, "create-disk-input", "50", { clear: true });
    await page.route("**/api/vms/create", (route) =>
      route.fulfill({ status: 422, contentType: "application/json", body: JSON.stringify({ detail: "memory: this host has 3 GB, at most 3" }) }),
    );
    await page.keyboard.press("Enter");
    await page.getByTestId("create-memory-error").waitFor();
    expect(await page.getByTestId("create-memory-error").textContent()).toContain("this host has 3 GB");
    expect(await page.getByTestId("create-name-input").inputValue()).toBe("refused-vm");
    await page.unroute("**/api/vms/create");
    await page.setViewportSize(PHONE);
    await screenshot(page, "forms-create-refused-phone");
    await page.keyboard.press("Escape");
    await page.getByTestId("dialog-create").waitFor({ state: "detached" });
  }, SLOW);
});

describe("failed tasks", () => {
  test("a start over the VM limit: one sentence, tart's words folded, Stop offered for the VMs tart names, Retry starts it", async () => {
    const { page } = browser;
    const message = "The number of VMs exceeds the system limit (other running VMs: vm-0002, vm-0003)";
    server.setKnobs({ run_fail: { stderr: message, exit: 1 } });
    await clearFinished(page);
    await vmCard(page, "vm-0001").getByTestId("vm-action-start").click();
    const entry = taskEntry(page, "start_vm", "vm-0001");
    await waitFor(() => taskStatusOf(entry), (s) => s === "failed", 20_000, "failed start");
    expect(await entry.getByTestId("task-error-summary").textContent()).toContain("at most two macOS VMs");
    expect(await entry.getByTestId("task-stop-vm-0002").isVisible()).toBe(true);
    // tart's text is there once, folded: nowhere on screen until opened (panel, toast, log).
    await page.getByTestId("toast").first().waitFor();
    expect(await visibleText(page.locator("body"))).not.toContain("exceeds the system limit");
    await entry.getByTestId("task-raw").locator("summary").click();
    const raw = (await entry.getByTestId("task-stderr").textContent()) ?? "";
    expect(raw.split(message).length - 1).toBe(1); // once, not once per source
    await screenshot(page, "forms-start-vm-limit");
    await page.setViewportSize(PHONE);
    await screenshot(page, "forms-start-vm-limit-phone");
    await page.setViewportSize(DESKTOP);

    server.setKnobs({});
    const failedId = await entry.getAttribute("data-task-id");
    await entry.getByTestId("task-retry").click();
    await waitFor(() => entry.getAttribute("data-task-id"), (id) => !!id && id !== failedId, 10_000, "a new task");
    await waitFor(() => taskStatusOf(taskEntry(page, "start_vm", "vm-0001")), (s) => s === "completed", 20_000, "retried start");
  }, SLOW);

  test("a missing image: the sentence names it, no Retry, and the long Swift error stays inside the panel", async () => {
    const { page } = browser;
    const ref = "ghcr.io/cirruslabs/does-not-exist:1.0";
    server.setKnobs({ pull_missing: ["ghcr.io/cirruslabs/does-not-exist*"] });
    await clearFinished(page);
    await page.getByTestId("pull-button").click();
    await typeInto(page, "pull-ref-input", ref);
    await page.keyboard.press("Enter");
    const entry = taskEntry(page, "pull_vm", ref);
    await waitFor(() => taskStatusOf(entry), (s) => s === "failed", 20_000, "failed pull");
    expect(await entry.getByTestId("task-error-summary").textContent()).toContain(`no image ${ref}`);
    expect(await entry.getByTestId("task-retry").count()).toBe(0);
    expect(await entry.getByTestId("task-progress").count()).toBe(0); // no half bar: the sentence says why
    expect(await visibleText(page.locator("body"))).not.toContain("MANIFEST_UNKNOWN");
    await entry.getByTestId("task-raw").locator("summary").click();
    const panel = page.getByTestId("task-panel");
    const fits = await panel.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits).toBe(true);
    await screenshot(page, "forms-pull-missing");
    await page.setViewportSize(PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, "forms-pull-missing-phone");
    server.setKnobs({});
  }, SLOW);
});

describe("History", () => {
  test("filters by status, action, VM and text; each entry offers Retry, its raw log and its command", async () => {
    const { page } = browser;
    // A create whose disk shrink only tart notices (sent straight to the API, past the dialog).
    const res = await server.post("/api/vms/create", { name: "shrunk", source_vm: "vm-0001", disk_size: 20 });
    if (res.ok) await server.waitTask((await res.json()).id);
    await page.getByTestId("nav-operations").click();
    const history = page.getByTestId("task-history");
    await history.locator("li.history-entry").first().waitFor();

    await page.getByTestId("history-filter-status").selectOption("failed");
    await page.getByTestId("history-filter-action").selectOption("start_vm");
    await typeInto(page, "history-filter-vm", "vm-0001");
    const entries = history.locator("li.history-entry");
    await waitFor(() => entries.count(), (n) => n >= 1, 5000, "filtered history");
    for (const status of await entries.evaluateAll((els) => els.map((e) => `${e.getAttribute("data-status")} ${e.getAttribute("data-action")}`))) {
      expect(status).toBe("failed start_vm");
    }
    const first = entries.first();
    expect(await first.getByTestId("history-error-text").textContent()).toContain("at most two macOS VMs");
    expect(await first.getByTestId("history-retry").isVisible()).toBe(true);
    await first.getByTestId("history-copy-command").click();
    await page.getByTestId("toast").filter({ hasText: "Copied: tart run" }).first().waitFor();
    await first.getByTestId("history-log-toggle").click();
    await waitFor(() => first.locator("pre.log").textContent(), (t) => !!t && t !== "Loading…", 5000, "raw log");
    await screenshot(page, "forms-history-filtered");

    await page.getByTestId("history-filter-clear").click();
    await typeInto(page, "history-filter-text", "disk size");
    if (res.ok) {
      const shrunk = history.locator('li[data-action="create_vm"][data-status="failed"]').first();
      await shrunk.waitFor();
      expect(await shrunk.getByTestId("history-error-text").textContent()).toContain("tart can only grow a disk");
      expect(await shrunk.getByTestId("history-retry").count()).toBe(0);
    }
    await page.setViewportSize(PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, "forms-history-phone");
    await page.getByTestId("history-filter-clear").click();
    await openVms(page);
  }, SLOW);
});

describe("signing in", () => {
  test("the sign-in token is typed key by key; Enter signs in", async () => {
    const fresh = await launch({ viewport: PHONE });
    try {
      const { page } = fresh;
      await page.goto(`${server.base}/`);
      await page.getByTestId("signin-form").waitFor();
      await typeInto(page, "signin-token-input", server.token);
      await page.keyboard.press("Enter");
      await page.getByTestId("app-shell").waitFor();
    } finally {
      await fresh.close();
    }
  }, SLOW);

  test("pasting the printed #token URL into a tab already open on the app signs in", async () => {
    const fresh = await launch();
    try {
      const { page } = fresh;
      await page.goto(`${server.base}/`);
      await page.getByTestId("signin-form").waitFor();
      await page.goto(`${server.base}/#token=${server.token}`); // same document: only the hash changes
      await page.getByTestId("app-shell").waitFor({ timeout: 5000 });
      expect(page.url()).toBe(`${server.base}/`);
      expect(await page.evaluate(() => localStorage.getItem("taartenfabriek.token"))).toBe(server.token);
    } finally {
      await fresh.close();
    }
  }, SLOW);

  test("while the server is still checking tart, no 'tart missing' banner and actions stay enabled", async () => {
    const fresh = await launch();
    try {
      const { page } = fresh;
      let checkingAnswers = 3;
      await page.route("**/api/health", async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        if (checkingAnswers-- > 0) body.tart = { ...body.tart, available: false, version: null, checking: true };
        await route.fulfill({ response, json: body });
      });
      await page.goto(`${server.base}/#token=${server.token}`);
      await page.getByTestId("banner-tart-checking").waitFor();
      expect(await page.getByTestId("banner-tart-missing").count()).toBe(0);
      await vmCard(page, "vm-0001").waitFor();
      expect(await page.getByTestId("pull-button").isDisabled()).toBe(false);
      await screenshot(page, "forms-tart-checking");
      // Health is asked again soon while checking: the notice goes well before the 5 s poll.
      await page.getByTestId("banner-tart-checking").waitFor({ state: "detached", timeout: 3500 });
      expect(await page.getByTestId("banner-tart-missing").count()).toBe(0);
    } finally {
      await fresh.close();
    }
  }, SLOW);
});
