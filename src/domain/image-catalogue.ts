/**
 * What `GET /api/vms/available-images` lists: the token-free registry catalogue (built-in and
 * user-added repositories), plus, when a GitHub token is set, the packages GitHub knows that the
 * built-in list does not; each image marked with the tags already in tart's OCI cache.
 *
 * Nothing here may make the route fail: GitHub refusing or unreachable costs only the images it
 * alone would have added, and the reason is kept for the health of the catalogue.
 */
import type { CatalogueImage, CataloguePort } from "./ports.ts";
import { parseOciReference } from "./names.ts";
import type { Vm } from "./vm.ts";
import { vmsByRepository } from "./vm-origins.ts";

/** Size and date of one tag, from its manifest. */
export interface TagDetails {
  /** Bytes to download: the config and every layer, compressed. */
  download_bytes: number | null;
  /** The disk's uncompressed size in bytes. */
  disk_bytes: number | null;
  /** When the image was pushed, ISO 8601. */
  uploaded_at: string | null;
}

/** The API's VM image (docs/API.md) plus what the registry and tart's cache say about it. */
export interface CatalogueEntry extends CatalogueImage {
  os: "darwin" | "linux" | null;
  source: "built-in" | "added" | "github";
  /** Size and date of the newest tags, by tag. */
  tag_details: Record<string, TagDetails>;
  /** When the registry last answered for this repository (ISO 8601), or null if it never did. */
  checked_at: string | null;
  /** Why the tags may be out of date, or null. */
  error: string | null;
  /** The tags of this repository that are in tart's OCI cache (pulled). */
  pulled_tags: string[];
  /** The local VMs this server made from this repository, directly or through local clones. */
  local_vms: string[];
}

/** What the registry alone can tell of an image; what is local is added here. */
export type RegistryEntry = Omit<CatalogueEntry, "pulled_tags" | "local_vms">;

export interface RegistryCataloguePort {
  list(): Promise<RegistryEntry[]>;
}

export interface ImageCatalogueDeps {
  registry: RegistryCataloguePort;
  github: CataloguePort;
  githubToken: () => string | null;
  inventory: () => Vm[];
  /** name → source of the VMs this server made (vm-origins.ts); none when not given. */
  origins?: () => Readonly<Record<string, string>>;
}

/** What the HTTP layer needs of the catalogue. */
export interface ImageCataloguePort {
  list(): Promise<CatalogueEntry[]>;
}

export class ImageCatalogue implements ImageCataloguePort {
  private githubError: string | null = null;

  constructor(private readonly deps: ImageCatalogueDeps) {}

  /** Why the last GitHub listing failed (a refused or expired token, no network), or null. */
  lastGithubError(): string | null {
    return this.githubError;
  }

  async list(): Promise<CatalogueEntry[]> {
    const token = this.deps.githubToken();
    const [registry, github] = await Promise.all([this.deps.registry.list(), token ? this.fromGithub(token) : Promise.resolve([])]);
    const known = new Set(registry.map((image) => repositoryOf(image.url)));
    const extra = github
      .filter((image) => !known.has(repositoryOf(image.url)))
      .map((image) => ({ ...image, os: guessOs(image.name), source: "github" as const, tag_details: {}, checked_at: null, error: null }));
    const pulled = this.pulledTags();
    const made = this.localVms();
    return [...registry, ...extra].map((image) => {
      const repository = repositoryOf(image.url);
      return { ...image, pulled_tags: pulled.get(repository) ?? [], local_vms: made.get(repository) ?? [] };
    });
  }

  private async fromGithub(token: string): Promise<CatalogueImage[]> {
    try {
      const images = await this.deps.github.list(token);
      this.githubError = null;
      return images;
    } catch (error) {
      this.githubError = (error as Error).message;
      return [];
    }
  }

  /** host/repository → the local VMs of the inventory made from it (names it no longer has are not counted). */
  private localVms(): Map<string, string[]> {
    const origins = this.deps.origins?.() ?? {};
    const local = this.deps.inventory().filter((vm) => vm.kind !== "oci").map((vm) => vm.name);
    return vmsByRepository(origins, local);
  }

  /** host/repository → the tags of it in tart's OCI cache. */
  private pulledTags(): Map<string, string[]> {
    const pulled = new Map<string, string[]>();
    for (const vm of this.deps.inventory()) {
      if (vm.kind !== "oci") continue;
      const ref = parseOciReference(vm.name);
      if (!ref?.tag) continue;
      const key = `${ref.host}/${ref.repository}`;
      pulled.set(key, [...(pulled.get(key) ?? []), ref.tag]);
    }
    return pulled;
  }
}

/** "ghcr.io/cirruslabs/ubuntu:24.04" → "ghcr.io/cirruslabs/ubuntu". */
function repositoryOf(url: string): string {
  const ref = parseOciReference(url);
  return ref ? `${ref.host.toLowerCase()}/${ref.repository}` : url;
}

/** The guest OS a repository's last path part suggests (macos-…, ubuntu…), or null. */
export const guessOs = (name: string): "darwin" | "linux" | null => (name.startsWith("macos-") ? "darwin" : /^(ubuntu|debian|fedora|rocky)/.test(name) ? "linux" : null);
