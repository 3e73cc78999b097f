/**
 * Locators and waits for the UI's stable data-testids, so the tests read as user steps. Tasks
 * are found by what they do (action + VM) because a test does not know their ids in advance.
 */
import { expect } from "bun:test";
import type { Locator, Page } from "playwright-core";
import { screenshot, type Browser } from "./browser.ts";

export const vmCard = (page: Page, name: string): Locator => page.getByTestId(`vm-card-${name}`);
export const vmRow = (page: Page, name: string): Locator => page.getByTestId(`vm-row-${name}`);

/** The newest operations-panel entry for an action on a VM. */
export function taskEntry(page: Page, action: string, vmName: string): Locator {
  return page.locator(`[data-testid="task-panel"] li[data-action="${action}"][data-vm-name="${vmName}"]`).first();
}

/** Polls `read` until `accept` says yes; returns the last value. */
export async function waitFor<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

export const statusOf = (card: Locator) => card.getByTestId("vm-status").getAttribute("data-status");
export const taskStatusOf = (entry: Locator) => entry.getAttribute("data-status");

/** The data-testid of the focused element, or its tag when it has none ("BODY" when focus was lost). */
export const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? null);

/**
 * Types `text` key by key into a field the way a person does: click, optionally select all and
 * delete what is there, type. After every chunk the field must still have focus, and at the end
 * it must hold the whole text.
 */
export async function typeInto(page: Page, testid: string, text: string, options: { clear?: boolean } = {}): Promise<void> {
  const field = page.getByTestId(testid);
  await field.click();
  if (options.clear) {
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
  }
  for (let i = 0; i < text.length; i += 4) {
    await field.pressSequentially(text.slice(i, i + 4), { delay: 5 });
    expect(await focused(page)).toBe(testid);
  }
  expect(await field.inputValue()).toBe(text);
}

/**
 * Replaces a field's text the way a person does — click, select all, delete, type key by key —
 * and checks the field kept focus and the whole text (fill() would hide an input that is rebuilt
 * on every keystroke).
 */
export async function retype(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.press("Control+A");
  await field.press("Backspace");
  if (text) await field.pressSequentially(text, { delay: 5 });
  expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
  expect(await field.inputValue()).toBe(text);
}

/**
 * What each keystroke costs the page (input → its handlers → next paint), in ms: sets the field
 * to each value in turn and dispatches the input event in the page itself, without the harness's
 * typing overhead. For the big-list tests' filters.
 */
export function keystrokeCosts(page: Page, testid: string, values: string[]): Promise<number[]> {
  return page.evaluate(
    async ({ testid, values }) => {
      const input = document.querySelector(`[data-testid="${testid}"]`) as HTMLInputElement;
      const times: number[] = [];
      for (const value of values) {
        const start = performance.now();
        input.value = value;
        input.dispatchEvent(new InputEvent("input", { bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        times.push(Math.round(performance.now() - start));
      }
      return times;
    },
    { testid, values },
  );
}

/**
 * From the Clusters page, the running cluster VM `mac` of cluster `farm` opens its console or
 * shell in a new tab, which names the cluster; the failed VM `broken` offers neither. The
 * screenshot of the row is taken as `cluster-<kind>-button`.
 */
export async function openClusterVmTab(browser: Browser, kind: "console" | "shell"): Promise<Page> {
  const { page, context } = browser;
  await page.getByTestId("nav-clusters").click();
  const section = page.getByTestId("cluster-farm");
  const row = section.locator('[data-testid="cluster-vm-row"][data-name="mac"]');
  await waitFor(() => row.getAttribute("data-state"), (s) => s === "running");
  expect(await section.locator('[data-testid="cluster-vm-row"][data-name="broken"]').getByTestId(`cluster-vm-${kind}`).count()).toBe(0);
  await screenshot(page, `cluster-${kind}-button`);
  const [tab] = await Promise.all([context.waitForEvent("page"), row.getByTestId(`cluster-vm-${kind}`).click()]);
  await tab.waitForLoadState();
  expect(new URL(tab.url()).pathname).toBe(`/clusters/farm/vms/mac/${kind}`);
  expect(await tab.getByTestId("console-vm-facts").textContent()).toContain("on cluster farm");
  return tab;
}
