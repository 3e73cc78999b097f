/**
 * Where each VM this server made came from: `name → source`, the source as it was given to clone
 * or create (an OCI reference, by tag or digest, or a local VM's name). The catalogue counts with
 * it how many local VMs came from each image, following local clones back to the image: a clone
 * of a clone of ubuntu counts for ubuntu.
 *
 * A delete drops the VM's entry; the VMs made from it are then recorded as made from its source,
 * so their chain back to the image stays whole. A rename carries the entry, and the links to it,
 * to the new name. VMs made outside this server are not known here.
 */
import { parseOciReference, vmKey } from "./names.ts";

export interface OriginStore {
  load(): Record<string, string>;
  save(origins: Record<string, string>): void;
}

export class VmOrigins {
  private readonly origins: Record<string, string>;

  constructor(private readonly store: OriginStore) {
    this.origins = { ...store.load() };
  }

  /** `name` was made from `source` (a clone or a create completed). */
  made(name: string, source: string): void {
    this.forget(name);
    this.origins[name] = source;
    this.store.save({ ...this.origins });
  }

  /** `name` was deleted. */
  removed(name: string): void {
    const key = vmKey(name);
    const source = this.sourceOf(name);
    let changed = this.forget(name);
    if (source !== undefined && vmKey(source) !== key) {
      for (const [child, from] of Object.entries(this.origins)) {
        if (vmKey(from) === key) {
          this.origins[child] = source;
          changed = true;
        }
      }
    }
    if (changed) this.store.save({ ...this.origins });
  }

  /**
   * `from` is now called `to`: its own entry moves with it and the VMs made from it point at
   * the new name, so a rename neither loses a chain nor leaves one pointing at a name now gone.
   */
  renamed(from: string, to: string): void {
    const key = vmKey(from);
    const source = this.sourceOf(from);
    let changed = this.forget(from);
    for (const [child, made] of Object.entries(this.origins)) {
      if (vmKey(made) === key) {
        this.origins[child] = to;
        changed = true;
      }
    }
    if (source !== undefined) {
      this.forget(to);
      this.origins[to] = source;
    }
    if (changed) this.store.save({ ...this.origins });
  }

  all(): Readonly<Record<string, string>> {
    return this.origins;
  }

  /** What `name` (in any case) was made from; undefined when this server did not make it. */
  private sourceOf(name: string): string | undefined {
    const key = vmKey(name);
    const own = Object.keys(this.origins).find((entry) => vmKey(entry) === key);
    return own === undefined ? undefined : this.origins[own];
  }

  private forget(name: string): boolean {
    const key = vmKey(name);
    let found = false;
    for (const entry of Object.keys(this.origins)) {
      if (vmKey(entry) === key) {
        delete this.origins[entry];
        found = true;
      }
    }
    return found;
  }
}

/**
 * `host/repository` → the names among `localVms` that came from it, following local sources
 * (through VMs that exist or not) to the first OCI reference. A digest reference counts for its
 * repository. VMs with no known origin, or whose chain ends in a local name with none, or loops,
 * are counted nowhere.
 */
export function vmsByRepository(origins: Readonly<Record<string, string>>, localVms: readonly string[]): Map<string, string[]> {
  const byKey = new Map(Object.entries(origins).map(([name, source]) => [vmKey(name), source]));
  const result = new Map<string, string[]>();
  for (const name of localVms) {
    const seen = new Set<string>([vmKey(name)]);
    let source = byKey.get(vmKey(name));
    while (source !== undefined && !source.includes("/") && !seen.has(vmKey(source))) {
      seen.add(vmKey(source));
      source = byKey.get(vmKey(source));
    }
    const ref = source === undefined ? null : parseOciReference(source);
    if (!ref) continue;
    const repository = `${ref.host.toLowerCase()}/${ref.repository}`;
    result.set(repository, [...(result.get(repository) ?? []), name]);
  }
  return result;
}
