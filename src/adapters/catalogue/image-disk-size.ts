/**
 * An image's uncompressed disk size, asked of its registry (one manifest read, anonymous as the
 * catalogue is) for the free-space check before a pull. The registry gets a few seconds: a pull
 * request must not hang behind a registry that does not answer, and a size that cannot be had
 * only means the space is not checked. Sizes of a reference are remembered for a while, since a
 * user who was refused tends to ask again with `"force": true` or after freeing space.
 */
import { AppError } from "../../domain/errors.ts";
import { parseOciReference } from "../../domain/names.ts";
import type { OciRegistry } from "./oci-registry.ts";

const REMEMBER_MS = 10 * 60_000;

export class ImageDiskSizes {
  private readonly known = new Map<string, { bytes: number | null; at: number }>();

  constructor(
    private readonly registry: Pick<OciRegistry, "details">,
    private readonly timeoutMs = 4_000,
  ) {}

  async diskBytes(reference: string): Promise<{ bytes: number | null; reason?: string }> {
    const ref = parseOciReference(reference);
    if (!ref) return { bytes: null, reason: "not an OCI reference" };
    const remembered = this.known.get(reference);
    if (remembered && Date.now() - remembered.at < REMEMBER_MS) return { bytes: remembered.bytes, ...(remembered.bytes === null ? { reason: "its manifest does not say" } : {}) };
    let timer: Timer | undefined;
    try {
      const details = await Promise.race([
        this.registry.details(ref.host, ref.repository, ref.digest ?? ref.tag ?? "latest"),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new AppError("upstream_failed", `${ref.host} did not answer in time`)), this.timeoutMs);
        }),
      ]);
      this.known.set(reference, { bytes: details.disk_bytes, at: Date.now() });
      return details.disk_bytes === null ? { bytes: null, reason: "its manifest does not say" } : { bytes: details.disk_bytes };
    } catch (error) {
      return { bytes: null, reason: error instanceof AppError ? error.detail : (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
