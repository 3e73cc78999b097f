// Pulls as a person watches them, in Chromium against the compiled binary: the bar on the task and
// on the image's card says bytes, rate and ETA; Cancel asks first, then stops tart and says what
// was left; a pull cut off by the network retries by itself and says so; an image too big for
// the free space is refused in the dialog with "Pull anyway". The reference is typed key by key
// and submitted with Enter. Screenshots land in test-output/e2e/pulls-*.png.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import type { Locator, Page } from "playwright-core";
import { startFakeGhcr, type FakeGhcr } from "../support/fake-ghcr.ts";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { retype, taskEntry, taskStatusOf, vmCard, waitFor } from "./support/ui.ts";

const SLOW = 90_000;
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const freeHere = () => {
  const fs = statfsSync(mkdtempSync(`${tmpdir()}/pulls-`));
  return Number(fs.bavail) * Number(fs.bsize);
};
const HUGE = Math.round(freeHere() * 1.5 + 10e9);

let ghcr: FakeGhcr;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  ghcr = startFakeGhcr([{ name: "cirruslabs/too-big", tags: { latest: { diskBytes: HUGE, compressedBytes: 30e9, uploadedAt: "2026-11-01T00:00:00Z" } } }]);
  server = await startServer({
    binary: true,
    seed: { local: 2, oci: 0 },
    env: { TARTVM_GHCR_URL: ghcr.url, TARTVM_PULL_RETRY_DELAY_MS: "2500" },
    // 40 steps of 400 ms: a 16 s download, long enough to watch and cancel.
    knobs: { pull_steps: 40, pull_interval_ms: 400, pull_disk_gb: 24.3 },
  });
  browser = await openDashboard(server, { viewport: DESKTOP });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
  ghcr?.stop();
});


/** Opens the Pull dialog, types the reference key by key and presses Enter. */
async function pullByTyping(page: Page, reference: string): Promise<void> {
  await page.getByTestId("nav-vms").click();
  await page.getByTestId("pull-button").click();
  const field = page.getByTestId("pull-ref-input");
  await retype(field, reference);
  await field.press("Enter");
}

describe("a pull you can watch and cancel", () => {
  test("bytes, rate and ETA under the bar, on the task and on the image's card; Cancel asks, then stops it", async () => {
    const { page } = browser;
    const ref = "ghcr.io/cirruslabs/ubuntu:watch";
    await pullByTyping(page, ref);
    const entry = taskEntry(page, "pull_vm", ref);
    const detail = entry.getByTestId("task-progress-detail");
    const text = await waitFor(() => detail.textContent().catch(() => ""), (t) => /MB\/s|GB\/s/.test(t ?? ""), 20_000, "a rate under the bar");
    expect(text).toMatch(/^[\d.]+ [MG]B of 24\.3 GB · [\d.]+ [MG]B\/s · (less than a minute|about \d+ min) left$/);
    const card = vmCard(page, ref);
    expect(await card.getByTestId("image-pull-progress-detail").textContent()).toMatch(/of 24\.3 GB/);
    await screenshot(page, "pulls-progress-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "pulls-progress-phone");
    await page.setViewportSize(DESKTOP);

    // Cancel asks first; Escape keeps it going.
    await entry.getByTestId("task-cancel").click();
    const confirm = entry.getByTestId("task-cancel-confirm");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain("a new pull starts from 0%");
    await entry.getByTestId("task-cancel-keep").focus();
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "detached" });
    expect(await taskStatusOf(entry)).toBe("running");

    await entry.getByTestId("task-cancel").click();
    await screenshot(page, "pulls-cancel-confirm");
    await entry.getByTestId("task-cancel-yes").click();
    await waitFor(() => taskStatusOf(entry), (s) => s === "failed", 20_000, "the cancelled pull");
    expect(await entry.getByTestId("task-error-summary").textContent()).toMatch(/^Cancelled; .*nothing was left behind/);
    await card.waitFor({ state: "detached" });
    expect((await server.get<any[]>("/api/vms")).some((vm) => vm.name === ref)).toBe(false);
    await screenshot(page, "pulls-cancelled");
  }, SLOW);

  test("a pull cut off by the network retries by itself, says so, and finishes", async () => {
    const { page } = browser;
    const ref = "ghcr.io/cirruslabs/debian:flaky";
    server.setKnobs({ pull_steps: 10, pull_interval_ms: 100, pull_drop: { at: 40, times: 1 } });
    try {
      await pullByTyping(page, ref);
      const entry = taskEntry(page, "pull_vm", ref);
      const detail = entry.getByTestId("task-progress-detail");
      const said = await waitFor(() => detail.textContent().catch(() => ""), (t) => (t ?? "").startsWith("Network lost"), 20_000, "the retry note");
      expect(said).toMatch(/^Network lost; retrying in \d+ s \(attempt 2\)$/);
      await screenshot(page, "pulls-retrying");
      await waitFor(() => taskStatusOf(entry), (s) => s === "completed", 30_000, "the retried pull");
      await vmCard(page, ref).waitFor();
    } finally {
      server.setKnobs({});
    }
  }, SLOW);
});

describe("an image too big for the free space", () => {
  test("is refused in the dialog with both sizes, and Pull anyway pulls it", async () => {
    const { page } = browser;
    const ref = "ghcr.io/cirruslabs/too-big:latest";
    server.setKnobs({ pull_steps: 2, pull_interval_ms: 50 });
    try {
      await pullByTyping(page, ref);
      const error = page.getByTestId("pull-error");
      await error.waitFor();
      expect(await error.textContent()).toContain("does not fit: its disk is");
      await screenshot(page, "pulls-too-big-desktop");
      await page.setViewportSize(PHONE);
      await screenshot(page, "pulls-too-big-phone");
      await page.setViewportSize(DESKTOP);
      await page.getByTestId("pull-force").click();
      await page.getByTestId("dialog-pull").waitFor({ state: "detached" });
      const entry = taskEntry(page, "pull_vm", ref);
      await waitFor(() => taskStatusOf(entry), (s) => s === "completed", 20_000, "the forced pull");
    } finally {
      server.setKnobs({});
    }
  }, SLOW);
});
