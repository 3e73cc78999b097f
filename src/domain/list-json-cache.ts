/**
 * The list's JSON and its ETag, built once per change: GET /api/vms is polled by every open page,
 * so the hot read path serves these bytes instead of serialising the inventory per request.
 * Owners call `changed()` when anything the list shows may differ. The hash names the content,
 * not the change count, so a change that ends with the same list keeps the ETag and a client
 * polling with it learns "unchanged" without downloading the list again.
 */

/** The list's JSON and a hash of it (for ETags). */
export interface ListJson {
  json: string;
  hash: string;
}

/** `value` as JSON with the hash its ETag names. */
export function listJsonOf(value: unknown): ListJson {
  const json = JSON.stringify(value);
  return { json, hash: Bun.hash(json).toString(36) };
}

export class ListJsonCache {
  private version = 0;
  private cached: ({ version: number } & ListJson) | null = null;

  constructor(private readonly build: () => unknown) {}

  changed(): void {
    this.version++;
  }

  current(): ListJson {
    if (this.cached?.version !== this.version) {
      this.cached = { version: this.version, ...listJsonOf(this.build()) };
    }
    return this.cached;
  }
}
