/**
 * What this server knows about one Orchard cluster: where its controller is, the service account
 * it calls with, and the certificate pinned for it. Clusters come from two places: Orchard's own
 * CLI config (read-only, cli-config.ts) and the ones added in this app (storage/clusters-file.ts).
 */
export type ClusterSource = "orchard-cli" | "app";

export interface ClusterConfig {
  name: string;
  /** Normalised: scheme, host, port; no trailing slash (an API prefix path may follow the port). */
  url: string;
  source: ClusterSource;
  serviceAccountName: string | null;
  serviceAccountToken: string | null;
  /** PEM of the pinned certificate; null: the system's roots (or plain HTTP). */
  certificate: string | null;
}

export const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const CLUSTER_NAME_RULE = "1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit";

const DEFAULT_PORT = "6120";

/**
 * An address as `orchard context create` takes it (netconstants.NormalizeAddress): the scheme
 * defaults to https and the port to 6120. Null for anything that is not an http(s) URL.
 */
export function normalizeControllerUrl(address: string): string | null {
  const trimmed = address.trim();
  if (!trimmed || /\s/.test(trimmed)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password || url.search || url.hash) return null;
  if (!url.port && !/:\d+(\/|$)/.test(withScheme.replace(/^[a-z]+:\/\//i, ""))) url.port = DEFAULT_PORT;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
