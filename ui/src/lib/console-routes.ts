/**
 * The console and shell pages' paths: /vms/{name}/console and /vms/{name}/shell. They open in
 * their own tab or window (pop-out), outside the three-page router, so they are plain links.
 */
export type ConsolePageKind = "console" | "shell";

export const consolePath = (name: string, kind: ConsolePageKind = "console"): string => `/vms/${encodeURIComponent(name)}/${kind}`;

export function consolePageOf(pathname: string): { kind: ConsolePageKind; name: string } | null {
  const match = /^\/vms\/([^/]+)\/(console|shell)\/?$/.exec(pathname);
  if (!match) return null;
  try {
    return { kind: match[2] as ConsolePageKind, name: decodeURIComponent(match[1]!) };
  } catch {
    return null;
  }
}

/** A page-relative websocket URL (the server's `ws_url`) made absolute for this page's origin. */
export const socketUrl = (wsUrl: string, origin: string): string => origin.replace(/^http/, "ws") + wsUrl;
