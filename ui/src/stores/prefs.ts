/**
 * Remembered view preferences (cards or table). Stored per origin in localStorage like the token;
 * parsing is defensive because the stored value may come from an older version.
 */
import type { KeyValueStorage } from "../lib/token.ts";

export type ViewMode = "cards" | "table";
export const VIEW_STORAGE_KEY = "taartenfabriek.view";

export function readViewMode(storage: KeyValueStorage | null): ViewMode {
  try {
    return storage?.getItem(VIEW_STORAGE_KEY) === "table" ? "table" : "cards";
  } catch {
    return "cards";
  }
}

export function writeViewMode(storage: KeyValueStorage | null, mode: ViewMode): void {
  try {
    storage?.setItem(VIEW_STORAGE_KEY, mode);
  } catch {
    // Not remembering the choice is harmless.
  }
}

/** Page sizes: cards are taller, so fewer per page. */
export const PAGE_SIZE: Record<ViewMode, number> = { cards: 48, table: 100 };

/** The page sizes a person can pick in the pager. */
export const PAGE_SIZE_CHOICES = [24, 48, 100, 250] as const;
