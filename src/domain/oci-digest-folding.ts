/**
 * OCI tag/digest folding: a pulled image is listed by tart twice, as its tag
 * (`ghcr.io/a/b:latest`) and as the digest it points at (`ghcr.io/a/b@sha256:…`). The inventory
 * shows one image, the tag, with the digest as a field. `tart fqn` maps a tag to its digest; the
 * answers are cached, since a tag only moves when it is pulled again (then `forget` it).
 */
import { mapConcurrent } from "./limit-concurrency.ts";
import type { TartListEntry, TartPort } from "./ports.ts";

const DIGEST_SUFFIX = /@(sha256:[a-f0-9]{64})$/;

/** What one refresh learned: each tag's digest, and the digest entries shown through a tag. */
export class DigestFolding {
  static readonly EMPTY = new DigestFolding(new Map(), new Set());

  constructor(
    private readonly digests: Map<string, string>, // OCI tag name → digest it points at
    readonly hidden: Set<string>, // digest entries shown through their tag
  ) {}

  /** The digest an OCI entry stands for: its tag's, or its own name's. */
  digestOf(name: string): string | null {
    return this.digests.get(name) ?? DIGEST_SUFFIX.exec(name)?.[1] ?? null;
  }

  /** The tag a hidden digest entry is shown as, if any. */
  tagOf(digestName: string): string | undefined {
    const digest = DIGEST_SUFFIX.exec(digestName)?.[1];
    for (const [tag, d] of this.digests) if (d === digest && repoOf(tag) === repoOf(digestName)) return tag;
    return undefined;
  }
}

export class OciDigests {
  private readonly fqnCache = new Map<string, string>();

  constructor(
    private readonly tart: TartPort,
    private readonly concurrency: number,
  ) {}

  /** A pull may have moved this tag. */
  forget(name: string): void {
    this.fqnCache.delete(name);
  }

  /** tag → digest through `tart fqn` for every OCI tag in the list, and the digest entries that fold. */
  async fold(entries: TartListEntry[]): Promise<DigestFolding> {
    const tags = entries.filter((entry) => entry.source === "oci" && !DIGEST_SUFFIX.test(entry.name));
    const digests = new Map<string, string>();
    await mapConcurrent(tags, this.concurrency, async (entry) => {
      let fqn = this.fqnCache.get(entry.name);
      if (fqn === undefined) {
        try {
          fqn = await this.tart.fqn(entry.name);
          this.fqnCache.set(entry.name, fqn);
        } catch {
          return; // tart < 2.6 has no fqn: the pair is shown as two entries
        }
      }
      const digest = DIGEST_SUFFIX.exec(fqn)?.[1];
      if (digest) digests.set(entry.name, digest);
    });
    const names = new Set(entries.map((entry) => entry.name));
    const hidden = new Set<string>();
    for (const [tag, digest] of digests) {
      const digestEntry = `${repoOf(tag)}@${digest}`;
      if (names.has(digestEntry)) hidden.add(digestEntry);
    }
    return new DigestFolding(digests, hidden);
  }
}

/** `ghcr.io/a/b:tag` or `ghcr.io/a/b@sha256:…` → `ghcr.io/a/b`. */
function repoOf(name: string): string {
  const at = name.indexOf("@");
  if (at >= 0) return name.slice(0, at);
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash);
  return colon >= 0 ? name.slice(0, colon) : name;
}
