/** The app's pages and their paths (the server serves the app for every non-API path). */
export type PageId = "vms" | "clusters" | "operations" | "settings";

export const PAGE_PATHS: Record<PageId, string> = { vms: "/", clusters: "/clusters", operations: "/operations", settings: "/settings" };

export function pageFromPath(pathname: string): PageId {
  const clean = pathname.replace(/\/+$/, "");
  if (clean === "/operations") return "operations";
  if (clean === "/settings") return "settings";
  if (clean === "/clusters") return "clusters";
  return "vms";
}
