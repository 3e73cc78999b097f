// Settings → Host, a prune and the "copy as tart …" preview, in Chromium against the compiled
// binary: the host's free disk, macOS VMs "1 of 2" and cache sizes; a prune typed key by key and
// sent with Enter, its result; the Create dialog's command lines following every keystroke, and
// Escape closing it. At 1440 and 390 px; screenshots in test-output/e2e/host-*.png.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { startFakeGhcr, type FakeGhcr } from "../support/fake-ghcr.ts";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { retype, vmCard, waitFor } from "./support/ui.ts";

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
let server: TestServer;
let browser: Browser;
let ghcr: FakeGhcr;

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  // The Pull dialog asks the registry for its catalogue: a local one, so no test leaves loopback.
  ghcr = startFakeGhcr([{ name: "cirruslabs/ubuntu", tags: { "22.04": { diskBytes: 20e9, compressedBytes: 5e9, uploadedAt: "2026-11-01T00:00:00Z" } } }]);
  server = await startServer({ binary: true, seed: { local: 3, running: 1, oci: 3 }, env: { TARTVM_GHCR_URL: ghcr.url } });
  // Two of the three images were last used a month ago; one IPSW in the cache.
  for (const n of [1, 2]) {
    const repo = join(server.tartHome, "cache", "OCIs", "ghcr.io", "cirruslabs", `seed-image-${n}`);
    const digest = join(repo, readdirSync(repo).find((name) => name.startsWith("sha256:"))!);
    const at = Math.floor(Date.now() / 1000) - 30 * 86_400;
    utimesSync(digest, at, at);
  }
  mkdirSync(join(server.tartHome, "cache", "IPSWs"), { recursive: true });
  const ipsw = join(server.tartHome, "cache", "IPSWs", "UniversalMac_15.5_Restore.ipsw");
  writeFileSync(ipsw, Buffer.alloc(3_000_000, 5));
  const old = Math.floor(Date.now() / 1000) - 30 * 86_400;
  utimesSync(ipsw, old, old);
  browser = await openDashboard(server, { viewport: DESKTOP });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
  ghcr?.stop();
});


const textOf = (page: Page, testid: string) => page.getByTestId(testid).textContent().then((t) => t ?? "");

describe("Settings → Host", () => {
  test("free disk, macOS VMs against the limit, the caches", async () => {
    const { page } = browser;
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("host-section").waitFor();
    await waitFor(() => textOf(page, "host-macos-vms"), (t) => t === "1 of 2 (vm-0001)", 15_000, "one macOS VM running");
    expect(await textOf(page, "host-disk")).toMatch(/^[\d.]+ [GTM]B free of [\d.]+ [GTM]B$/);
    expect(await textOf(page, "host-oci-cache")).toMatch(/ · 3 images$/);
    expect(await textOf(page, "host-ipsw-cache")).toBe("3.0 MB · 1 file");
    expect(await textOf(page, "host-tart")).toBe("2.32.1");
    await screenshot(page, "host-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "host-phone");
    await page.setViewportSize(DESKTOP);
  });

  test("a prune typed key by key, its command line live, sent with Enter; the result says what went", async () => {
    const { page } = browser;
    await page.getByTestId("prune-open").click();
    await page.getByTestId("prune-form").waitFor();
    expect(await textOf(page, "prune-command-text")).toBe("tart prune --entries caches <criteria>");
    const field = page.getByTestId("prune-older-than-input");
    await field.click();
    await field.pressSequentially("1", { delay: 5 });
    expect(await textOf(page, "prune-command-text")).toBe("tart prune --entries caches --older-than 1");
    await field.pressSequentially("4", { delay: 5 });
    expect(await textOf(page, "prune-command-text")).toBe("tart prune --entries caches --older-than 14");
    await field.press("Enter");
    const result = page.getByTestId("prune-result");
    await result.waitFor();
    expect(await result.getAttribute("data-status")).toBe("completed");
    expect(await result.textContent()).toMatch(/Reclaimed [\d.]+ [kMG]?B: .*; 3 entries removed\./);
    expect(await page.getByTestId("prune-removed").locator("li").count()).toBe(3);
    await waitFor(() => textOf(page, "host-oci-cache"), (t) => t.endsWith(" · 1 image"), 10_000, "the cache after the prune");
    expect(await textOf(page, "host-ipsw-cache")).toBe("0 B · 0 files");
    await screenshot(page, "host-pruned-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "host-pruned-phone");
    await page.setViewportSize(DESKTOP);
  });

  test("a prune with neither an age nor a budget says so and runs nothing", async () => {
    const { page } = browser;
    const field = page.getByTestId("prune-older-than-input");
    await field.click();
    await field.press("Control+A");
    await field.press("Backspace");
    const before = server.argvLog().filter((a) => a[0] === "prune").length;
    await field.press("Enter");
    expect(await textOf(page, "prune-error")).toBe("Give an age in days, a space budget in GB, or both.");
    expect(server.argvLog().filter((a) => a[0] === "prune").length).toBe(before);
  });
});

describe("copy as tart …", () => {
  test("the Create dialog's command lines follow every keystroke; Escape closes it", async () => {
    const { page } = browser;
    await page.getByTestId("nav-vms").click();
    await page.getByTestId("create-button").click();
    await page.getByTestId("dialog-create").waitFor();
    const lines = () => page.getByTestId("create-command-text").locator("code").allTextContents();
    const name = page.getByTestId("create-name-input");
    await name.click();
    await name.press("Control+A");
    await name.press("Backspace");
    expect((await lines())[0]).toMatch(/^tart clone \S+ <name>$/);
    for (const typed of ["n", "ne", "new", "new-", "new-v", "new-vm"]) {
      await name.pressSequentially(typed.at(-1)!, { delay: 5 });
      const [clone, set] = await lines();
      // "new-" ends with '-' yet is a valid name; every prefix here is one.
      expect(clone).toMatch(new RegExp(`^tart clone \\S+ ${typed}$`));
      expect(set).toMatch(new RegExp(`^tart set ${typed} --cpu \\d+ --memory \\d+ --disk-size \\d+$`));
    }
    await retype(page.getByTestId("create-memory-input"), "6");
    expect((await lines())[1]).toMatch(/^tart set new-vm --cpu \d+ --memory 6144 --disk-size \d+$/);
    await retype(page.getByTestId("create-cpu-input"), "2");
    expect((await lines())[1]).toMatch(/^tart set new-vm --cpu 2 --memory 6144 --disk-size \d+$/);
    await screenshot(page, "host-create-preview-desktop", { fullPage: false });
    await page.setViewportSize(PHONE);
    await screenshot(page, "host-create-preview-phone", { fullPage: false });
    await page.setViewportSize(DESKTOP);
    await page.getByTestId("create-command-copy").click();
    await waitFor(() => textOf(page, "create-command-copy"), (t) => /Copied|Select to copy/.test(t), 5_000, "the copy button's answer");
    await page.keyboard.press("Escape");
    await page.getByTestId("dialog-create").waitFor({ state: "detached" });
    expect(server.argvLog().some((a) => a[0] === "clone" && a[2] === "new-vm")).toBe(false);
  });

  test("the Pull dialog shows tart pull for the reference as it is typed", async () => {
    const { page } = browser;
    await page.getByTestId("pull-button").click();
    const field = page.getByTestId("pull-ref-input");
    await field.click();
    expect(await textOf(page, "pull-command-text")).toBe("tart pull <reference>");
    await field.pressSequentially("ghcr.io/cirruslabs/ubuntu:22.04", { delay: 2 });
    expect(await textOf(page, "pull-command-text")).toBe("tart pull ghcr.io/cirruslabs/ubuntu:22.04");
    await page.keyboard.press("Escape");
    await page.getByTestId("dialog-pull").waitFor({ state: "detached" });
  });

  test("the Clone dialog adds the start's tart run when asked", async () => {
    const { page } = browser;
    await vmCard(page, "vm-0002").getByTestId("vm-action-clone").click();
    await page.getByTestId("dialog-clone").waitFor();
    await retype(page.getByTestId("clone-name-input"), "copy-2");
    const lines = () => page.getByTestId("clone-command-text").locator("code").allTextContents();
    expect(await lines()).toEqual(["tart clone vm-0002 copy-2"]);
    await page.getByTestId("clone-start-checkbox").check();
    expect(await lines()).toEqual(["tart clone vm-0002 copy-2", "tart run --vnc --no-graphics copy-2"]);
    await page.keyboard.press("Escape");
    await page.getByTestId("dialog-clone").waitFor({ state: "detached" });
  });
});

describe("private registries", () => {
  test("a login typed key by key and sent with Enter is listed; the password leaves the page and reaches tart's stdin", async () => {
    const { page } = browser;
    const password = "typed-s3cret";
    await page.getByTestId("nav-settings").click();
    await retype(page.getByTestId("registry-host-input"), "registry.example.com:5000");
    await retype(page.getByTestId("registry-username-input"), "ci-bot");
    const field = page.getByTestId("registry-password-input");
    await retype(field, password);
    await field.press("Enter");
    await page.getByTestId("registry-registry.example.com:5000").waitFor();
    expect(await page.getByTestId("registries-list").textContent()).toContain("as ci-bot");
    expect(await field.inputValue()).toBe("");
    expect(await page.getByTestId("registry-error").count()).toBe(0); // the emptied form shows no errors
    expect(await page.content()).not.toContain(password);
    const keychain = JSON.parse(readFileSync(join(server.tartHome, "fake-keychain.json"), "utf8"));
    expect(keychain["registry.example.com:5000"]).toEqual({ user: "ci-bot", password });
    await screenshot(page, "host-registries-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "host-registries-phone");
    await page.setViewportSize(DESKTOP);
    await page.getByRole("button", { name: "Log out of registry.example.com:5000" }).click();
    await page.getByTestId("registries-empty").waitFor();
  });
});
