/**
 * Opens a URL in the user's default browser: `open` on macOS, `xdg-open` elsewhere. Where there is
 * no browser (a CI box, an SSH session) nothing happens and nothing is printed as an error.
 */
import { findOnPath } from "./adapters/tart/locate-tart.ts";

export function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "/usr/bin/open" : findOnPath("xdg-open", process.env.PATH);
  if (!opener) return;
  try {
    const child = Bun.spawn([opener, url], { stdin: "ignore", stdout: "ignore", stderr: "ignore", detached: true });
    child.unref();
  } catch {
    // no browser: the URL is printed already
  }
}
