// The Pull dialog's catalogue and Settings → Image repositories, in Chromium against the binary
// with a fake GHCR (behind TARTVM_GHCR_URL) and a second registry on a loopback port (another
// fake, reached over plain HTTP as any localhost registry is). Typed key by key, Enter and
// Escape pressed, at 1280 and 390 px: a bare image name is offered as its full reference and
// taken with Enter or a click; a tag is picked from an OS group; images show how many local VMs
// came from them; a repository is added in Settings (refusals shown in place) and then appears in
// the dialog. Screenshots land in test-output/e2e/catalogue-*.png.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { cirruslabsRepositories } from "../support/cirruslabs-registry.ts";
import { startFakeGhcr, type FakeGhcr } from "../support/fake-ghcr.ts";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { focused, taskEntry, taskStatusOf, typeInto, waitFor } from "./support/ui.ts";

const SLOW = 90_000;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const GB = 1024 ** 3;

let ghcr: FakeGhcr;
let other: FakeGhcr;
let otherHost: string;
let server: TestServer;
let browser: Browser;
let pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  ghcr = startFakeGhcr(
    cirruslabsRepositories(
      { diskBytes: 50 * GB, compressedBytes: 21 * GB, uploadedAt: "2026-11-28T10:00:00Z" },
      {
        ubuntu: { "22.04": { diskBytes: 20 * GB, compressedBytes: 2 * GB, uploadedAt: "2026-11-20T10:00:00Z" } },
        "macos-sequoia-base": { "15.5": { diskBytes: 60 * GB, compressedBytes: 25 * GB, uploadedAt: "2026-10-01T10:00:00Z" } },
      },
    ),
  );
  other = startFakeGhcr([
    { name: "team/macos-builder", tags: { latest: { diskBytes: 80 * GB, compressedBytes: 30 * GB, uploadedAt: "2026-11-01T00:00:00Z" }, "2.1": { diskBytes: 80 * GB, compressedBytes: 30 * GB, uploadedAt: "2026-10-01T00:00:00Z" } } },
  ]);
  otherHost = new URL(other.url).host;
  server = await startServer({
    binary: true,
    seed: { local: 1 },
    env: { TARTVM_GHCR_URL: ghcr.url },
    knobs: { pull_steps: 3, pull_interval_ms: 50 },
  });
  // Two local VMs that came from ubuntu: one made from the image, one cloned from that one.
  for (const [path, body] of [
    ["/api/vms/create", { name: "ubuntu-dev", source_vm: "ghcr.io/cirruslabs/ubuntu:latest" }],
    ["/api/vms/ubuntu-dev/clone", { new_name: "ubuntu-dev-copy" }],
  ] as const) {
    const task = await (await server.post(path, body)).json();
    expect((await server.waitTask(task.id)).status).toBe("completed");
  }
  browser = await openDashboard(server, { viewport: DESKTOP, pageErrors });
}, 60_000);

afterEach(async () => {
  const errors = pageErrors;
  pageErrors = [];
  // A test that failed with the dialog open must not make every later one fail too.
  if (await browser.page.getByTestId("dialog-pull").count()) await browser.page.keyboard.press("Escape");
  await browser.page.setViewportSize(DESKTOP);
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stopAll();
  ghcr?.stop();
  other?.stop();
});


async function tartCalled(...parts: string[]): Promise<string[]> {
  const match = (argv: string[]) => parts.every((p) => argv.includes(p));
  const log = await waitFor(async () => server.argvLog(), (all) => all.some(match), 15_000, `tart ${parts.join(" ")}`);
  return log.find(match)!;
}

async function openPull(page: Page) {
  await page.getByTestId("nav-vms").click();
  await page.getByTestId("pull-button").click();
  await page.getByTestId("dialog-pull").waitFor();
  await page.getByTestId("catalogue").waitFor();
}

async function closePull(page: Page) {
  await page.keyboard.press("Escape");
  await page.getByTestId("dialog-pull").waitFor({ state: "detached" });
}

/** Reopens the dialog until the registry's manifests (sizes, dates) have been read for the image. */
async function openPullWithChips(page: Page, item: string) {
  await waitFor(
    async () => {
      if (await page.getByTestId("dialog-pull").count()) await closePull(page);
      await openPull(page);
      return page.getByTestId(item).getByTestId("catalogue-tag-chip").count();
    },
    (n) => n >= 2,
    20_000,
    `newest tags of ${item}`,
  );
}

describe.each([
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const)("the Pull dialog at %s width", (label, viewport) => {
  test("the list is grouped by OS; a bare name is offered as the full reference, Enter takes it, Enter pulls it", async () => {
    const { page } = browser;
    await page.setViewportSize(viewport);
    await openPull(page);
    expect(await page.getByTestId("catalogue-group-darwin").locator("h4").textContent()).toContain("macOS");
    expect(await page.getByTestId("catalogue-group-linux").getByTestId("catalogue-item-ubuntu").count()).toBe(1);
    const count = page.getByTestId("catalogue-item-ubuntu").getByTestId("catalogue-local-vms");
    expect(await count.textContent()).toBe("2 VMs");
    expect(await count.getAttribute("title")).toContain("ubuntu-dev, ubuntu-dev-copy");

    await typeInto(page, "pull-ref-input", "macos-sequoia-base");
    const offer = page.getByTestId("pull-suggestion").first();
    expect(await offer.getAttribute("data-reference")).toBe("ghcr.io/cirruslabs/macos-sequoia-base:latest");
    expect(await page.getByTestId("pull-ref-error").count()).toBe(0); // a bare name is not an error while it is offered
    await screenshot(page, `catalogue-bare-name-${label}`, { fullPage: false });
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("pull-ref-input").inputValue()).toBe("ghcr.io/cirruslabs/macos-sequoia-base:latest");
    expect(await page.getByTestId("pull-suggestions").count()).toBe(0);
    expect(await focused(page)).toBe("pull-ref-input");
    await page.keyboard.press("Enter");
    await page.getByTestId("dialog-pull").waitFor({ state: "detached" });
    await tartCalled("pull", "ghcr.io/cirruslabs/macos-sequoia-base:latest");
    await waitFor(() => taskStatusOf(taskEntry(page, "pull_vm", "ghcr.io/cirruslabs/macos-sequoia-base:latest")), (s) => s === "completed", 20_000, "pull");
  }, SLOW);

  test("a bare name with a tag, several offers: arrows choose, a click takes; Escape closes", async () => {
    const { page } = browser;
    await page.setViewportSize(viewport);
    await openPull(page);
    await typeInto(page, "pull-ref-input", "ubuntu:22.04");
    const offers = page.getByTestId("pull-suggestion");
    expect(await offers.evaluateAll((els) => els.map((el) => el.getAttribute("data-reference")))).toEqual([
      "ghcr.io/cirruslabs/ubuntu:22.04",
      "ghcr.io/cirruslabs/ubuntu-amd64:22.04",
      "ghcr.io/cirruslabs/ubuntu-runner-arm64:22.04",
      "ghcr.io/cirruslabs/ubuntu-runner-amd64:22.04",
    ]);
    await page.keyboard.press("ArrowDown");
    expect(await offers.nth(1).getAttribute("aria-current")).toBe("true");
    await screenshot(page, `catalogue-offers-${label}`, { fullPage: false });
    await offers.nth(2).click();
    expect(await page.getByTestId("pull-ref-input").inputValue()).toBe("ghcr.io/cirruslabs/ubuntu-runner-arm64:22.04");
    await typeInto(page, "pull-ref-input", "no-such-image", { clear: true });
    expect(await page.getByTestId("pull-suggestions").count()).toBe(0);
    expect(await page.getByTestId("pull-ref-error").textContent()).toContain("registry host");
    await closePull(page);
  }, SLOW);

  test("a tag is picked from its group: the newest with size and date, the rest in the list; Pull pulls that tag", async () => {
    const { page } = browser;
    await page.setViewportSize(viewport);
    await openPullWithChips(page, "catalogue-item-ubuntu");
    const ubuntu = page.getByTestId("catalogue-group-linux").getByTestId("catalogue-item-ubuntu");
    const chip = ubuntu.locator('[data-testid="catalogue-tag-chip"][data-tag="22.04"]');
    expect(await chip.textContent()).toMatch(/^22\.04 · 2(\.0)? GB · \d+ days ago$/);
    await chip.click();
    expect(await chip.getAttribute("aria-pressed")).toBe("true");
    expect(await ubuntu.getByTestId("catalogue-tag").inputValue()).toBe("22.04");
    expect(await ubuntu.getByTestId("catalogue-facts").textContent()).toMatch(/ghcr\.io\/cirruslabs\/ubuntu:22\.04 · 2(\.0)? GB download · 20 GB disk/);
    await ubuntu.scrollIntoViewIfNeeded();
    await screenshot(page, `catalogue-tag-picked-${label}`, { fullPage: false });
    // A tag without size or date is still in the list.
    const base = page.getByTestId("catalogue-item-macos-sequoia-base");
    expect(await base.getByTestId("catalogue-tag").locator("option").allTextContents()).toEqual(["latest", "15.5"]);
    await base.getByTestId("catalogue-tag").selectOption("15.5");
    expect(await base.locator('[data-tag="15.5"]').getAttribute("aria-pressed")).toBe("true");
    if (label === "desktop") {
      await ubuntu.getByTestId("catalogue-pull-ubuntu").click();
      await page.getByTestId("dialog-pull").waitFor({ state: "detached" });
      await tartCalled("pull", "ghcr.io/cirruslabs/ubuntu:22.04");
    } else {
      await closePull(page);
    }
  }, SLOW);
});

describe("Settings → Image repositories", () => {
  test("typed and checked as typed; Enter adds; a refusal stays in place; the added one is listed in the dialog; Remove removes", async () => {
    const { page } = browser;
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("repositories-empty").waitFor();

    await typeInto(page, "repository-input", `${otherHost}/team/macos-builder:2.1`);
    expect(await page.getByTestId("repository-input-error").textContent()).toContain("Leave out the tag");
    await page.keyboard.press("Enter"); // refused in the page: nothing is sent
    expect(await page.getByTestId("repositories-empty").count()).toBe(1);

    await typeInto(page, "repository-input", "ghcr.io/cirruslabs/ubuntu", { clear: true });
    await page.keyboard.press("Enter");
    const refused = page.getByTestId("repositories-error");
    await refused.waitFor();
    expect(await refused.textContent()).toContain("built in");

    await typeInto(page, "repository-input", `${otherHost}/team/nothing-here`, { clear: true });
    expect(await page.getByTestId("repositories-error").count()).toBe(0); // typing clears the old refusal
    await page.keyboard.press("Enter");
    await refused.waitFor();
    expect(await refused.textContent()).toContain(`${otherHost}/team/nothing-here`);
    expect(await refused.textContent()).toContain("refused anonymous access");
    expect(await page.getByTestId("repository-input").inputValue()).toBe(`${otherHost}/team/nothing-here`);
    await screenshot(page, "catalogue-settings-refused");
    await page.setViewportSize(PHONE);
    await screenshot(page, "catalogue-settings-refused-phone");
    await page.setViewportSize(DESKTOP);

    await typeInto(page, "repository-input", `${otherHost}/team/macos-builder`, { clear: true });
    await page.keyboard.press("Enter");
    const item = page.locator(`[data-testid="repository-item"][data-repository="${otherHost}/team/macos-builder"]`);
    await item.waitFor();
    expect(await page.getByTestId("repository-input").inputValue()).toBe("");
    await typeInto(page, "repository-input", `${otherHost}/team/macos-builder`);
    expect(await page.getByTestId("repository-input-error").textContent()).toContain("already in the list");
    await screenshot(page, "catalogue-settings-added");
    await page.setViewportSize(PHONE);
    await screenshot(page, "catalogue-settings-added-phone");
    await page.setViewportSize(DESKTOP);
    await typeInto(page, "repository-input", "", { clear: true });

    // In the dialog: with the macOS images (its name says macos-), marked as added, and offered for its bare name.
    await openPull(page);
    const added = page.getByTestId("catalogue-group-darwin").getByTestId(`catalogue-item-${otherHost}/team/macos-builder`);
    await added.waitFor();
    expect(await added.getByTestId("catalogue-added").count()).toBe(1);
    expect(await added.getByTestId("catalogue-tag").locator("option").allTextContents()).toEqual(["latest", "2.1"]);
    await typeInto(page, "pull-ref-input", "macos-builder:2.1");
    expect(await page.getByTestId("pull-suggestion").first().getAttribute("data-reference")).toBe(`${otherHost}/team/macos-builder:2.1`);
    await page.getByTestId("pull-suggestion").first().click();
    expect(await page.getByTestId("pull-ref-input").inputValue()).toBe(`${otherHost}/team/macos-builder:2.1`);
    await typeInto(page, "catalogue-search", "builder");
    await waitFor(() => page.getByTestId("catalogue").locator("li").count(), (n) => n === 1, 5000, "search");
    await screenshot(page, "catalogue-added-in-dialog");
    await page.setViewportSize(PHONE);
    await screenshot(page, "catalogue-added-in-dialog-phone", { fullPage: false });
    await page.setViewportSize(DESKTOP);
    await closePull(page);

    await page.getByTestId("nav-settings").click();
    await item.getByTestId("repository-remove").click();
    await page.getByTestId("repositories-empty").waitFor();
    expect((await server.get("/api/settings/repositories")).repositories).toEqual([]);
  }, SLOW);
});
