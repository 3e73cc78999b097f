/**
 * Orchard's CLI contexts as clusters (spec orchard.md §2 "How the CLI stores contexts"):
 * `$ORCHARD_HOME/.orchard/orchard.yml`, else `~/.orchard/orchard.yml`, read only — a user who
 * already runs `orchard` gets their contexts here without adding them again, and this server
 * never writes the file. `certificate` is base64 of the PEM. The CLI's env overrides
 * (`ORCHARD_URL`, `ORCHARD_SERVICE_ACCOUNT_NAME`, `ORCHARD_SERVICE_ACCOUNT_TOKEN`) apply to the
 * default context, as in the CLI. A context whose name or URL this server cannot use is skipped
 * with a warning rather than failing the others.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { parse as parseYaml } from "yaml";
import { CLUSTER_NAME, normalizeControllerUrl, type ClusterConfig } from "./cluster-config.ts";

export function orchardConfigPath(env: Record<string, string | undefined>): string | null {
  const home = env.ORCHARD_HOME || env.HOME;
  return home ? join(home, ".orchard", "orchard.yml") : null;
}

/**
 * readOrchardContexts, parsed again only when orchard.yml changes (its inode, size, mtime or
 * ctime): the cluster routes look at the contexts on every request, and a stat is far cheaper
 * than reading and parsing YAML each time. `orchard context create` rewrites the file, which
 * changes at least its mtime.
 */
export function orchardContextsReader(env: Record<string, string | undefined>, warn: (message: string) => void): () => ClusterConfig[] {
  let seen: { key: string; clusters: ClusterConfig[] } | null = null;
  return () => {
    const path = orchardConfigPath(env);
    let key = "absent";
    try {
      if (path) {
        const stat = statSync(path);
        key = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
      }
    } catch {}
    if (seen?.key !== key) seen = { key, clusters: readOrchardContexts(env, warn) };
    return seen.clusters;
  };
}

interface RawContext {
  url?: unknown;
  certificate?: unknown;
  serviceAccountName?: unknown;
  serviceAccountToken?: unknown;
}

export function readOrchardContexts(env: Record<string, string | undefined>, warn: (message: string) => void): ClusterConfig[] {
  const path = orchardConfigPath(env);
  if (!path) return [];
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") warn(`cannot read ${path}: ${(error as Error).message}`);
    return [];
  }
  let document: { "default-context"?: unknown; contexts?: Record<string, RawContext> } | null;
  try {
    // Loaded only when there is a file to read: a server without orchard.yml never pays for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require("yaml") as { parse: typeof parseYaml };
    document = parse(text);
  } catch (error) {
    warn(`${path} is not valid YAML (${(error as Error).message.split("\n")[0]}); its Orchard contexts are not shown`);
    return [];
  }
  const contexts = document?.contexts && typeof document.contexts === "object" ? document.contexts : {};
  const clusters: ClusterConfig[] = [];
  for (const [name, raw] of Object.entries(contexts)) {
    const isDefault = name === document?.["default-context"];
    const context = { ...(raw ?? {}) } as RawContext;
    if (isDefault) {
      if (env.ORCHARD_URL) context.url = env.ORCHARD_URL;
      if (env.ORCHARD_SERVICE_ACCOUNT_NAME) context.serviceAccountName = env.ORCHARD_SERVICE_ACCOUNT_NAME;
      if (env.ORCHARD_SERVICE_ACCOUNT_TOKEN) context.serviceAccountToken = env.ORCHARD_SERVICE_ACCOUNT_TOKEN;
    }
    const url = typeof context.url === "string" ? normalizeControllerUrl(context.url) : null;
    if (!CLUSTER_NAME.test(name) || !url) {
      warn(`Orchard context ${JSON.stringify(name)} in ${path} skipped: ${url ? "its name cannot be used in a URL here" : "no usable url"}`);
      continue;
    }
    let certificate: string | null = null;
    if (typeof context.certificate === "string" && context.certificate) {
      certificate = Buffer.from(context.certificate, "base64").toString("utf8");
      if (!certificate.includes("BEGIN CERTIFICATE")) {
        warn(`Orchard context ${name} in ${path} skipped: its certificate is not a base64 PEM`);
        continue;
      }
    }
    clusters.push({
      name,
      url,
      source: "orchard-cli",
      serviceAccountName: typeof context.serviceAccountName === "string" ? context.serviceAccountName : null,
      serviceAccountToken: typeof context.serviceAccountToken === "string" ? context.serviceAccountToken : null,
      certificate,
    });
  }
  return clusters;
}
