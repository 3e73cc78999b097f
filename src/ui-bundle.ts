/**
 * The UI files embedded by build.ts, or null when running from source (the server then serves a
 * page saying the UI is not built — the API works either way).
 */
import type { UiFiles } from "./http/static-ui.ts";

export async function loadUiFiles(): Promise<UiFiles | null> {
  try {
    const bundle = await import("taartenfabriek:ui-bundle");
    return Object.keys(bundle.files).length ? bundle.files : null;
  } catch {
    return null;
  }
}
