// The UI on a 2,000-VM inventory: the page renders a page of cards (not 2,000), filters, pages
// and switches to the table without a frozen main thread. Long tasks are recorded in the page
// and reported; the check is "no freeze" (no task over 2 s), the timings go to the test output.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { launch, screenshot, type Browser } from "./support/browser.ts";
import { waitFor } from "./support/ui.ts";

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer({ binary: true, seed: { local: 2000, running: 100, oci: 3 }, lowPriority: true });
  await server.post("/api/vms/refresh");
  browser = await launch();
  // The server fills 2,000 configs in the background throughout; on a slow shared CI machine a
  // click or a screenshot may wait long for a frame. Waiting is fine; freezing is what is checked.
  browser.context.setDefaultTimeout(60_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stopAll();
});

describe("2,000 VMs", () => {
  test("render, filter, page and switch views without freezing", async () => {
    const { page } = browser;
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    const started = performance.now();
    await page.goto(`${server.base}/#token=${server.token}`);
    await waitFor(() => page.getByTestId("section-local-count").textContent(), (t) => t === "2000", 60_000, "2000 VMs");
    const firstRender = performance.now() - started;
    const cards = await page.locator('[data-testid^="vm-card-"]').count();
    expect(cards).toBeGreaterThan(0);
    expect(cards).toBeLessThan(200); // paged, not 2,000 cards in the DOM

    let t = performance.now();
    await page.getByTestId("vm-filter-text").fill("vm-1999");
    await waitFor(() => page.getByTestId("section-local-count").textContent(), (text) => text === "1 of 2000", 60_000, "filter");
    const filterMs = performance.now() - t;
    await page.getByTestId("vm-filter-text").fill("");

    t = performance.now();
    await page.getByTestId("view-toggle-table").click();
    await page.locator('[data-testid^="vm-row-"]').first().waitFor();
    const tableMs = performance.now() - t;
    await page.getByTestId("pager-next").first().click();
    await screenshot(page, "scale-2000-table");

    await Bun.sleep(3500); // at least one 3 s poll of 2,000 VMs while the page is idle
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const longest = Math.max(0, ...longTasks);
    console.log(
      `2,000 VMs: first render ${firstRender.toFixed(0)} ms, filter ${filterMs.toFixed(0)} ms, table ${tableMs.toFixed(0)} ms, ` +
        `long tasks ${longTasks.length}, longest ${longest.toFixed(0)} ms`,
    );
    expect(longest).toBeLessThan(2000);
  }, 240_000);
});
