// End-to-end, as a person uses them: the compiled binary with the fake tart, headless Chromium
// typing key by key. The Run options dialog (shared folders with their guest-side hints, the
// network, the tart run line as the fields change, refusals as typed and from the server), the
// start that uses them (the fake's argv log), the Create dialog's From scratch mode (tart create
// with its install progress) and the fit warnings, at desktop width and at 390 px. Screenshots
// land in test-output/e2e/run-options-*.png.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, startServer, stopAll, type TestServer } from "../support/server-process.ts";
import { openDashboard, screenshot, type Browser } from "./support/browser.ts";
import { taskEntry, taskStatusOf, typeInto, vmCard, waitFor } from "./support/ui.ts";

const SLOW = 90_000;
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const LINUX = "vm-0004"; // the seed makes every fourth VM a Linux guest

let server: TestServer;
let browser: Browser;
let share: string;
let pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun build.ts\` first`);
  share = mkdtempSync(join(tmpdir(), "e2e-share-"));
  mkdirSync(join(share, "src"));
  server = await startServer({ binary: true, seed: { local: 4, running: 0 }, knobs: { boot_ms: 300, pull_steps: 4, pull_interval_ms: 300, vm_limit: 0 } });
  browser = await openDashboard(server, { viewport: DESKTOP, pageErrors });
  await browser.page.getByTestId("nav-vms").click();
  await vmCard(browser.page, LINUX).waitFor();
  // The OS of each VM comes from the background `tart get`s: the dialog's hints depend on it.
  await waitFor(() => server.get<any>(`/api/vms/${LINUX}`), (vm) => vm.os === "linux", 15_000, "the Linux VM's OS");
}, 30_000);

afterEach(async () => {
  const errors = pageErrors;
  pageErrors = [];
  await browser.page.setViewportSize(DESKTOP);
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stopAll();
  rmSync(share, { recursive: true, force: true });
});

describe("run options", () => {
  test("a shared folder and softnet, typed key by key, saved, and used by the next start", async () => {
    const page = browser.page;
    const card = vmCard(page, LINUX);
    await card.getByTestId("vm-action-run-options").click();
    const dialog = page.getByTestId("dialog-run-options");
    await dialog.getByTestId("run-options-form").waitFor();
    expect(await dialog.getByTestId("run-options-command-text").innerText()).toBe(`tart run --vnc --no-graphics ${LINUX}`);

    await dialog.getByTestId("folder-add").click();
    await typeInto(page, "folder-0-name", "src");
    await typeInto(page, "folder-0-path", join(share, "src"));
    await dialog.getByTestId("folder-0-ro").check();
    expect(await dialog.getByTestId("folder-0-hint").innerText()).toBe("In the guest: sudo mount -t virtiofs com.apple.virtio-fs.automount /mnt/shared, then /mnt/shared/src");

    await dialog.getByTestId("run-network").selectOption("softnet");
    await typeInto(page, "run-allow", "10.0.0.0/33");
    // Refused as typed, with tart's rule, before anything is sent.
    expect(await dialog.getByTestId("run-network-error").innerText()).toMatch(/network\.allow\[0\]: .*prefix length above 32/);
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("16", { delay: 10 });
    expect(await dialog.getByTestId("run-network-error").count()).toBe(0);
    await dialog.getByTestId("run-no-audio").check();
    expect(await dialog.getByTestId("run-options-command-text").innerText()).toBe(
      `tart run --vnc --no-graphics --no-audio --dir src:${join(share, "src")}:ro --net-softnet --net-softnet-allow 10.0.0.0/16 ${LINUX}`,
    );
    await screenshot(page, "run-options-dialog");

    await page.getByTestId("run-root-disk").click();
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached" });
    const saved = await server.get<any>(`/api/vms/${LINUX}/run-options`);
    expect(saved.options).toMatchObject({ no_audio: true, network: { mode: "softnet", allow: ["10.0.0.0/16"] }, shared_folders: [{ name: "src", read_only: true }] });

    await card.getByTestId("vm-action-start").click();
    const run = await waitFor(async () => server.argvLog().find((argv) => argv[0] === "run" && argv.at(-1) === LINUX), Boolean, 15_000, "tart run");
    expect(run).toEqual(["run", "--vnc", "--no-graphics", "--no-audio", "--dir", `src:${join(share, "src")}:ro`, "--net-softnet", "--net-softnet-allow", "10.0.0.0/16", LINUX]);
    await waitFor(() => taskStatusOf(taskEntry(page, "start_vm", LINUX)), (s) => s === "completed", 15_000, "the start");
  }, SLOW);

  test("the server's refusal stays in the dialog; Escape closes it; it fits a phone", async () => {
    const page = browser.page;
    await page.setViewportSize(PHONE);
    await vmCard(page, "vm-0001").getByTestId("vm-action-run-options").click();
    const dialog = page.getByTestId("dialog-run-options");
    await dialog.getByTestId("run-options-form").waitFor();
    await dialog.getByTestId("folder-add").click();
    await typeInto(page, "folder-0-name", "gone");
    await typeInto(page, "folder-0-path", join(share, "no-such-folder"));
    expect(await dialog.getByTestId("folder-0-hint").innerText()).toBe("In the guest: /Volumes/My Shared Files/gone");
    await page.keyboard.press("Enter");
    expect(await dialog.getByTestId("run-options-error").innerText()).toMatch(/shared_folders\[0\]\.path: .*no-such-folder is not a directory on this host/);
    await screenshot(page, "run-options-phone", { fullPage: false });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect((await server.get<any>("/api/vms/vm-0001/run-options")).kept).toBe(false);
  }, SLOW);
});

describe("create from scratch", () => {
  test("a Linux VM from scratch, typed key by key, with the tart create line", async () => {
    const page = browser.page;
    await page.getByTestId("create-button").click();
    const dialog = page.getByTestId("dialog-create");
    await dialog.getByTestId("create-mode-scratch").check();
    await dialog.getByTestId("create-os").selectOption("linux");
    await typeInto(page, "create-name-input", "scratch-linux", { clear: true });
    await typeInto(page, "create-disk-input", "20", { clear: true });
    await typeInto(page, "create-cpu-input", "2", { clear: true });
    await typeInto(page, "create-memory-input", "4", { clear: true });
    expect(await dialog.getByTestId("create-command-text").innerText()).toBe("tart create scratch-linux --linux --disk-size 20\ntart set scratch-linux --cpu 2 --memory 4096");
    await screenshot(page, "run-options-create-scratch");
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached" });
    await waitFor(() => taskStatusOf(taskEntry(page, "create_vm", "scratch-linux")), (s) => s === "completed", 20_000, "the create");
    await vmCard(page, "scratch-linux").waitFor();
    expect(server.argvLog().find((argv) => argv[0] === "create")).toEqual(["create", "scratch-linux", "--linux", "--disk-size", "20"]);
  }, SLOW);

  test("macOS from the latest IPSW warns of the space it needs, and the task shows the install", async () => {
    const page = browser.page;
    await page.getByTestId("create-button").click();
    const dialog = page.getByTestId("dialog-create");
    await dialog.getByTestId("create-mode-scratch").check();
    await typeInto(page, "create-name-input", "scratch-mac", { clear: true });
    await typeInto(page, "create-disk-input", "99999", { clear: true });
    expect(await dialog.getByTestId("create-disk-error").innerText()).toMatch(/4096/);
    await typeInto(page, "create-disk-input", "4000", { clear: true });
    // 4 TB is more than any test machine has free: the warning is there before the submit.
    expect(await dialog.getByTestId("create-fit").innerText()).toMatch(/Its disk can grow to 4000 GB, more than the .* free on tart's volume/);
    await typeInto(page, "create-disk-input", "60", { clear: true });
    // This 2-core test host cannot give a macOS VM 4 cores: empty leaves tart's own.
    await typeInto(page, "create-cpu-input", "", { clear: true });
    await typeInto(page, "create-memory-input", "4", { clear: true });
    expect(await dialog.getByTestId("create-command-text").innerText()).toBe("tart create scratch-mac --from-ipsw latest --disk-size 60\ntart set scratch-mac --memory 4096");
    await dialog.getByTestId("create-submit").click();
    await dialog.waitFor({ state: "detached" });
    const entry = taskEntry(page, "create_vm", "scratch-mac");
    await waitFor(() => server.get<any[]>("/api/tasks/active"), (tasks) => tasks.some((t) => t.install_progress?.phase === "install"), 20_000, "the install phase");
    await screenshot(page, "run-options-ipsw-progress");
    await waitFor(() => taskStatusOf(entry), (s) => s === "completed", 30_000, "the IPSW create");
  }, SLOW);
});
