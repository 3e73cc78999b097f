// /docs in Chromium against the compiled binary, with every request to anywhere but this server
// aborted and recorded: the reference renders every documented route from files embedded in the
// binary alone, and "Try it out" works with the token the dashboard signed in with (localStorage),
// or one given in /docs's own #token= (then removed from the address bar). At 1440 and 390 px;
// screenshots in test-output/e2e/docs-*.png.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { ROUTE_DOCS } from "../../src/http/openapi/route-docs.ts";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { launch, screenshot, type Browser } from "./support/browser.ts";

let server: TestServer;
let browser: Browser;
const foreign: string[] = [];
/** Console errors: a CSP violation or a failed load shows up here first. */
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  server = await startServer({ binary: true, seed: { local: 2, running: 1, oci: 1 } });
  await server.post("/api/vms/refresh");
  browser = await launch({ viewport: { width: 1440, height: 900 } });
  // Offline: whatever is not this server is refused before it leaves the browser.
  await browser.context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(server.base) || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  browser.page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
});

const operation = (page: Page, key: string) => {
  const [method, path] = key.split(" ") as [string, string];
  return page.locator(`.opblock-${method.toLowerCase()}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
};

/** Expands an operation, presses "Try it out", fills the path parameters key by key, executes. */
async function tryOut(page: Page, key: string, params: Record<string, string> = {}): Promise<{ status: string; body: string }> {
  const block = operation(page, key);
  await block.locator(".opblock-summary").click();
  await block.getByRole("button", { name: "Try it out" }).click();
  for (const [name, value] of Object.entries(params)) {
    const input = block.locator(`tr[data-param-name="${name}"] input`);
    await input.click();
    await page.keyboard.type(value);
  }
  await block.getByRole("button", { name: "Execute" }).click();
  const status = block.locator(".live-responses-table .response .response-col_status").first();
  await status.waitFor();
  const body = await block.locator(".live-responses-table .response-col_description pre").first().textContent();
  return { status: ((await status.textContent()) ?? "").trim(), body: body ?? "" };
}

describe("/docs", () => {
  test("renders every documented route from the binary alone, nothing fetched elsewhere", async () => {
    const { page } = browser;
    // Signed in to the dashboard first, as a user would be: the token lands in localStorage.
    await page.goto(`${server.base}/#token=${server.token}`);
    await page.getByTestId("app-shell").waitFor();
    await page.goto(`${server.base}/docs`);
    await page.locator(".opblock").first().waitFor();
    for (const key of Object.keys(ROUTE_DOCS)) expect({ key, shown: await operation(page, key).count() }).toEqual({ key, shown: 1 });
    expect(await page.locator(".opblock").count()).toBe(Object.keys(ROUTE_DOCS).length);
    expect(await page.locator(".info .title").textContent()).toContain("de taartenfabriek");
    await screenshot(page, "docs-desktop", { fullPage: false });
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 30_000);

  test("Authorize shows the session's token scheme as authorized; Escape closes it", async () => {
    const { page } = browser;
    await page.locator(".auth-wrapper .authorize").click();
    const dialog = page.locator(".dialog-ux .modal-ux");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("X-Local-Token");
    // LocalToken and SocketToken, both set from the session's token.
    expect(await dialog.locator("h6", { hasText: /^Authorized$/ }).count()).toBe(2);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 5_000 });
  }, 30_000);

  test("Try it out sends the dashboard's token: /api/health and one VM by a name typed key by key", async () => {
    const { page } = browser;
    const health = await tryOut(page, "GET /api/health");
    expect(health.status).toBe("200");
    expect(JSON.parse(health.body).status).toBe("ok");
    const vm = await tryOut(page, "GET /api/vms/{name}", { name: "vm-0002" });
    expect(vm.status).toBe("200");
    expect(JSON.parse(vm.body)).toMatchObject({ name: "vm-0002", kind: "local" });
    await screenshot(page, "docs-try-it", { fullPage: false });
    expect(foreign).toEqual([]);
  }, 30_000);

  test("a #token= given to /docs itself is used, then taken out of the address bar; 390 px wide", async () => {
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    // The storage emptied from a page of this origin that runs no script of its own.
    await phone.goto(`${server.base}/openapi.json`);
    await phone.evaluate(() => localStorage.clear());
    await phone.goto(`${server.base}/docs#token=${server.token}`);
    await phone.locator(".opblock").first().waitFor();
    expect(phone.url()).toBe(`${server.base}/docs`);
    const tasks = await tryOut(phone, "GET /api/tasks/active");
    expect(tasks.status).toBe("200");
    expect(JSON.parse(tasks.body)).toEqual([]);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(phone, "docs-phone", { fullPage: false });
    await phone.close();
    expect(foreign).toEqual([]);
  }, 30_000);

  test("the compiled binary serves the document and the metrics too (prom-client and the schemas bundled)", async () => {
    const document = await (await server.fetch("/openapi.json", { token: null })).json();
    expect(Object.keys(document.paths).length).toBe(new Set(Object.keys(ROUTE_DOCS).map((key) => key.split(" ")[1])).size);
    const metrics = await server.fetch("/metrics");
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('taartenfabriek_vms{kind="local",state="running"} 1');
  });

  test("without a token Try it out gets the API's own 401, not a page error", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.base}/openapi.json`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${server.base}/docs`);
    await page.locator(".opblock").first().waitFor();
    const answer = await tryOut(page, "GET /api/health");
    expect(answer.status).toBe("401");
    expect(JSON.parse(answer.body).detail).toContain("Missing API token");
    await page.close();
  }, 30_000);
});
