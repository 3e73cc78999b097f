/**
 * The pull catalogue from GitHub's Packages API: the cirruslabs org's
 * container packages that are Tart images, each with its tags (from the package versions) and
 * the time of its newest version. Needs a classic token with read:packages — GitHub answers 401
 * to anonymous calls even for public packages. Answers are cached for ten minutes per token.
 */
import { AppError } from "../../domain/errors.ts";
import { mapConcurrent } from "../../domain/limit-concurrency.ts";
import type { CatalogueImage, CataloguePort, GithubTokenCheck } from "../../domain/ports.ts";
import { nextLink } from "./link-header.ts";
import { sortTags } from "./tag-order.ts";

const ORG = "cirruslabs";
const CACHE_MS = 10 * 60 * 1000;
const TIMEOUT_MS = 15_000;
const MAX_PAGES = 20;
// The org also publishes non-Tart containers (orchard, CI images): keep the VM image families.
const TART_IMAGE = /^(macos-|ubuntu|debian|fedora|rocky)/;

interface PackageJson {
  name: string;
  updated_at?: string;
  repository?: { description?: string | null } | null;
}
interface VersionJson {
  updated_at?: string;
  metadata?: { container?: { tags?: string[] } };
}

export class GithubCatalogue implements CataloguePort, GithubTokenCheck {
  private cache: { token: string; at: number; images: CatalogueImage[] } | null = null;

  constructor(
    private readonly apiBase: string,
    private readonly userAgent: string,
  ) {}

  async list(token: string): Promise<CatalogueImage[]> {
    if (this.cache && this.cache.token === token && Date.now() - this.cache.at < CACHE_MS) return this.cache.images;
    const packages = await this.pages<PackageJson>(
      `${this.apiBase}/orgs/${ORG}/packages?package_type=container&per_page=100`,
      token,
    );
    const tartPackages = packages.filter((pkg) => TART_IMAGE.test(pkg.name));
    const images = await mapConcurrent(tartPackages, 6, async (pkg) => {
      const versions = await this.pages<VersionJson>(
        `${this.apiBase}/orgs/${ORG}/packages/container/${encodeURIComponent(pkg.name)}/versions?per_page=100`,
        token,
        1, // the newest 100 digests hold every live tag; older ones are untagged rebuilds
      );
      const tags = sortTags(versions.flatMap((version) => version.metadata?.container?.tags ?? []));
      const updated = versions.map((version) => version.updated_at).filter(Boolean).sort().at(-1) ?? pkg.updated_at ?? null;
      const tag = tags.includes("latest") ? "latest" : tags[0] ?? "latest";
      return {
        name: pkg.name,
        url: `ghcr.io/${ORG}/${pkg.name}:${tag}`,
        description: pkg.repository?.description ?? null,
        tags,
        updated_at: updated,
      } satisfies CatalogueImage;
    });
    images.sort((a, b) => a.name.localeCompare(b.name));
    this.cache = { token, at: Date.now(), images };
    return images;
  }

  /** One cheap call (a page of one package): GitHub's 401 or 403 becomes `upstream_refused`. */
  async check(token: string): Promise<void> {
    const response = await this.get(`${this.apiBase}/orgs/${ORG}/packages?package_type=container&per_page=1`, token);
    await response.body?.cancel();
  }

  /** Follows `Link: rel="next"` verbatim (GitHub's next URLs use /organizations/{id}/). */
  private async pages<T>(url: string, token: string, maxPages = MAX_PAGES): Promise<T[]> {
    const items: T[] = [];
    let next: string | null = url;
    for (let page = 0; next && page < maxPages; page++) {
      const response = await this.get(next, token);
      const body = (await response.json().catch(() => null)) as unknown;
      if (!Array.isArray(body)) throw new AppError("upstream_failed", `GitHub answered ${next} with something that is not a list`);
      items.push(...(body as T[]));
      next = nextLink(response.headers.get("link"));
    }
    return items;
  }

  private async get(url: string, token: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          Accept: "application/vnd.github+json",
          "X-GitHub-Api-Version": "2022-11-28",
          Authorization: `Bearer ${token}`,
          "User-Agent": this.userAgent,
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "follow",
      });
    } catch (error) {
      throw new AppError("upstream_failed", `GitHub could not be reached: ${(error as Error).message}`);
    }
    if (response.ok) return response;
    const message = await response
      .json()
      .then((body) => (body as { message?: string }).message)
      .catch(() => undefined);
    const said = message ? `: ${message}` : "";
    if (response.status === 401) {
      throw new AppError("upstream_refused", `GitHub refused the configured token (401${said}); set a classic token with read:packages`);
    }
    if ((response.status === 403 || response.status === 429) && response.headers.get("x-ratelimit-remaining") === "0") {
      const reset = Number(response.headers.get("x-ratelimit-reset"));
      const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
      throw new AppError("upstream_failed", `GitHub's rate limit is used up${when}`);
    }
    if (response.status === 403) {
      throw new AppError("upstream_refused", `GitHub refused the configured token (403${said}); it needs the read:packages scope`);
    }
    throw new AppError("upstream_failed", `GitHub answered ${response.status}${said}`);
  }
}
