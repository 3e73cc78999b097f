/**
 * Creates cluster VMs through the server's API and waits for each task, which may fail as meant
 * (an image the fake controller's workers cannot clone); a refused create throws.
 */
import type { TestServer } from "./server-process.ts";

/** A VM that runs, and one whose image is in the fake's `missingImages` (add it there first). */
export const RUNNING_AND_FAILED: [string, string][] = [
  ["mac", "ghcr.io/cirruslabs/macos-tahoe-base:latest"],
  ["broken", "ghcr.io/acme/missing:latest"],
];

export async function createClusterVms(server: TestServer, cluster: string, vms: [string, string][]): Promise<void> {
  for (const [name, image] of vms) {
    const created = await server.post(`/api/clusters/${cluster}/vms`, { name, image });
    if (created.status !== 200) throw new Error(`creating ${name}: ${created.status} ${await created.text()}`);
    await server.waitTask((await created.json()).id, 20_000).catch(() => undefined);
  }
}
