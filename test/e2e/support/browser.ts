/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core,
 * a fresh user-data-dir per launch (so no token or view choice leaks between tests), and
 * screenshots saved under test-output/e2e/ for a human to look at.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = resolve(import.meta.dir, "..", "..", "..", "test-output", "e2e");

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export interface LaunchOptions {
  colorScheme?: "light" | "dark";
  viewport?: { width: number; height: number };
}

export async function launch(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const userDataDir = mkdtempSync(join(tmpdir(), "taartenfabriek-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    colorScheme: options.colorScheme ?? "light",
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  // A page error is a bug in the UI: make it loud in the test output.
  page.on("pageerror", (err) => console.error(`[browser pageerror] ${err.message}`));
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/**
 * A browser signed in to the server's dashboard, as a user arrives from the URL the server prints
 * (the token in the fragment), once the app shell is drawn. `pageErrors` collects the page's
 * uncaught errors, for a test that asserts there were none.
 */
export async function openDashboard(server: { base: string; token: string }, options: LaunchOptions & { pageErrors?: string[] } = {}): Promise<Browser> {
  const browser = await launch(options);
  const errors = options.pageErrors;
  if (errors) browser.page.on("pageerror", (err) => errors.push(err.message));
  await browser.page.goto(`${server.base}/#token=${server.token}`);
  await browser.page.getByTestId("app-shell").waitFor();
  return browser;
}

/** The whole page by default; `{ fullPage: false }` for what one screen shows (a phone's first view). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}
