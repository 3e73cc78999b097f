/**
 * The console and shell pages' paths: /vms/{name}/console and /vms/{name}/shell, and a cluster
 * VM's /clusters/{cluster}/vms/{name}/console and …/shell. They open in their own tab or window
 * (pop-out), outside the three-page router, so they are plain links.
 */
export type ConsolePageKind = "console" | "shell";

export const consolePath = (name: string, kind: ConsolePageKind = "console"): string => `/vms/${encodeURIComponent(name)}/${kind}`;

export const clusterConsolePath = (cluster: string, name: string, kind: ConsolePageKind = "console"): string =>
  `/clusters/${encodeURIComponent(cluster)}/vms/${encodeURIComponent(name)}/${kind}`;

export const clusterShellPath = (cluster: string, name: string): string => clusterConsolePath(cluster, name, "shell");

/** `cluster` is set for an Orchard cluster VM's console or shell. */
export function consolePageOf(pathname: string): { kind: ConsolePageKind; name: string; cluster?: string } | null {
  try {
    const local = /^\/vms\/([^/]+)\/(console|shell)\/?$/.exec(pathname);
    if (local) return { kind: local[2] as ConsolePageKind, name: decodeURIComponent(local[1]!) };
    const cluster = /^\/clusters\/([^/]+)\/vms\/([^/]+)\/(console|shell)\/?$/.exec(pathname);
    if (cluster) return { kind: cluster[3] as ConsolePageKind, cluster: decodeURIComponent(cluster[1]!), name: decodeURIComponent(cluster[2]!) };
  } catch {
    // a malformed %-escape: no such page
  }
  return null;
}

/** A page-relative websocket URL (the server's `ws_url`) made absolute for this page's origin. */
export const socketUrl = (wsUrl: string, origin: string): string => origin.replace(/^http/, "ws") + wsUrl;
