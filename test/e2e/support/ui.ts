/**
 * Locators and waits for the UI's stable data-testids, so the tests read as user steps. Tasks
 * are found by what they do (action + VM) because a test does not know their ids in advance.
 */
import type { Locator, Page } from "playwright-core";

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
