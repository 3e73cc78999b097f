/**
 * The clusters added in this app, in `<data-dir>/clusters.json`: name, URL, service account and
 * its token, and the pinned certificate. It holds tokens, so it is a SecretFile (0600, never read
 * or written through a symbolic link). Orchard's own orchard.yml is never written.
 */
import type { ClusterConfig } from "../orchard/cluster-config.ts";
import { SecretFile } from "./secret-file.ts";

interface StoredCluster {
  name: string;
  url: string;
  service_account_name: string | null;
  service_account_token: string | null;
  certificate: string | null;
}

export class ClustersFile {
  private readonly file: SecretFile;

  constructor(path: string, private readonly warn: (message: string) => void) {
    this.file = new SecretFile(path);
  }

  load(): ClusterConfig[] {
    const text = this.file.read();
    if (!text) return [];
    let stored: StoredCluster[];
    try {
      stored = JSON.parse(text);
      if (!Array.isArray(stored)) throw new Error("not a list");
    } catch (error) {
      this.warn(`${this.file.path} is unreadable (${(error as Error).message}); no added clusters are shown`);
      return [];
    }
    return stored
      .filter((entry) => typeof entry?.name === "string" && typeof entry.url === "string")
      .map((entry) => ({
        name: entry.name,
        url: entry.url,
        source: "app" as const,
        serviceAccountName: entry.service_account_name ?? null,
        serviceAccountToken: entry.service_account_token ?? null,
        certificate: entry.certificate ?? null,
      }));
  }

  save(clusters: ClusterConfig[]): void {
    const stored: StoredCluster[] = clusters.map((cluster) => ({
      name: cluster.name,
      url: cluster.url,
      service_account_name: cluster.serviceAccountName,
      service_account_token: cluster.serviceAccountToken,
      certificate: cluster.certificate,
    }));
    this.file.write(JSON.stringify(stored, null, 2));
  }
}
