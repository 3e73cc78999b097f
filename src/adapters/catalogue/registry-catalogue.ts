/**
 * The pull catalogue that needs no token: the curated Cirrus Labs images (and any repositories
 * the user added), their tags read anonymously from the registry, and for the newest tags the
 * size and date from their manifests.
 *
 * The images change weekly or monthly, so everything is cached in the data dir and served from
 * there; a call refreshes in the background what is older than `freshMs`. Only a repository the
 * cache has never seen is waited for, and then at most `coldWaitMs`: a registry that is slow,
 * down or rate-limiting delays the first answer a little and fails nothing. Every curated image
 * is listed whatever the registry does, with its `error` saying why its tags may be old or a
 * guess.
 */
import { existsSync, readFileSync } from "node:fs";
import { guessOs, type RegistryEntry, type TagDetails } from "../../domain/image-catalogue.ts";
import { mapConcurrent } from "../../domain/limit-concurrency.ts";
import { writeFileAtomic } from "../../storage/atomic-write.ts";
import { CURATED_HOST, CURATED_IMAGES, CURATED_ORG } from "./curated-images.ts";
import type { OciRegistry } from "./oci-registry.ts";
import { sortTags } from "./tag-order.ts";

/** One repository the catalogue lists. */
export interface CatalogueRepository {
  host: string;
  /** e.g. "cirruslabs/ubuntu" */
  repository: string;
  name: string;
  os: "darwin" | "linux" | null;
  description: string | null;
  fallbackTag: string;
  source: "built-in" | "added";
}

/** A catalogue entry as the registry alone can tell it (the pulled tags and local VMs are added later). */
export type RegistryImage = RegistryEntry;

interface CachedRepository {
  tags: string[];
  details: Record<string, TagDetails>;
  checkedAt: number | null;
  error: string | null;
}

export interface RegistryCatalogueOptions {
  registry: OciRegistry;
  cacheFile: string;
  freshMs?: number;
  coldWaitMs?: number;
  /** How many of the newest tags per repository get their manifest read. */
  detailTags?: number;
  concurrency?: number;
  log?: (message: string) => void;
}

const CACHE_VERSION = 1;

export const curatedRepositories = (): CatalogueRepository[] =>
  CURATED_IMAGES.map((image) => ({
    host: CURATED_HOST,
    repository: `${CURATED_ORG}/${image.name}`,
    name: image.name,
    os: image.os,
    description: image.description,
    fallbackTag: image.fallbackTag,
    source: "built-in",
  }));

/**
 * A repository the user added (`host/path`, checked by added-repositories.ts): named by its whole
 * path, since only that is sure to be unique; its OS guessed from the last part of the path.
 */
export const addedRepository = (name: string): CatalogueRepository => {
  const slash = name.indexOf("/");
  return {
    host: name.slice(0, slash),
    repository: name.slice(slash + 1),
    name,
    os: guessOs(name.slice(name.lastIndexOf("/") + 1)),
    description: null,
    fallbackTag: "latest",
    source: "added",
  };
};

export class RegistryCatalogue {
  private readonly cache = new Map<string, CachedRepository>();
  private readonly refreshing = new Map<string, Promise<void>>();
  private saveFailed = false;

  constructor(private readonly o: RegistryCatalogueOptions) {
    this.load();
  }

  async list(repositories: CatalogueRepository[]): Promise<RegistryImage[]> {
    const now = Date.now();
    const due = repositories.filter((repo) => {
      const cached = this.cache.get(keyOf(repo));
      return !cached || cached.checkedAt === null || now - cached.checkedAt > (this.o.freshMs ?? 6 * 3600_000);
    });
    const run = due.length ? this.refresh(due) : Promise.resolve();
    const unseen = repositories.some((repo) => !this.cache.get(keyOf(repo))?.checkedAt);
    if (unseen) await Promise.race([run, Bun.sleep(this.o.coldWaitMs ?? 5_000)]);
    return repositories.map((repo) => this.image(repo));
  }

  /** Resolves when every due repository has its tags (manifests follow in the background). */
  private refresh(repositories: CatalogueRepository[]): Promise<void> {
    const started = repositories.map((repo) => {
      const key = keyOf(repo);
      let running = this.refreshing.get(key);
      if (!running) {
        running = this.refreshOne(repo).finally(() => this.refreshing.delete(key));
        this.refreshing.set(key, running);
      }
      return running;
    });
    return Promise.all(started).then(() => this.save());
  }

  private async refreshOne(repo: CatalogueRepository): Promise<void> {
    const key = keyOf(repo);
    const entry = this.cache.get(key) ?? { tags: [], details: {}, checkedAt: null, error: null };
    try {
      entry.tags = sortTags(await this.o.registry.tags(repo.host, repo.repository));
      entry.checkedAt = Date.now();
      entry.error = null;
    } catch (error) {
      entry.error = (error as Error).message;
      this.cache.set(key, entry);
      return;
    }
    this.cache.set(key, entry);
    // Manifests are many more requests and only add size and date: read them lazily, after the
    // tags have been answered, a few at a time.
    void this.readDetails(repo, entry);
  }

  private async readDetails(repo: CatalogueRepository, entry: CachedRepository): Promise<void> {
    const wanted = entry.tags.slice(0, this.o.detailTags ?? 3);
    const details: Record<string, TagDetails> = {};
    await mapConcurrent(wanted, this.o.concurrency ?? 4, async (tag) => {
      try {
        details[tag] = await this.o.registry.details(repo.host, repo.repository, tag);
      } catch {
        if (entry.details[tag]) details[tag] = entry.details[tag]!; // keep what an earlier read found
      }
    });
    entry.details = details;
    this.save();
  }

  private image(repo: CatalogueRepository): RegistryImage {
    const cached = this.cache.get(keyOf(repo));
    const tags = cached?.tags.length ? cached.tags : [repo.fallbackTag];
    const tag = tags.includes("latest") ? "latest" : tags[0]!;
    const details = cached?.details ?? {};
    const error = cached?.error ?? (cached?.checkedAt ? null : "the registry has not been reached yet");
    return {
      name: repo.name,
      url: `${repo.host}/${repo.repository}:${tag}`,
      description: repo.description,
      tags,
      updated_at: details[tag]?.uploaded_at ?? null,
      os: repo.os,
      source: repo.source,
      tag_details: details,
      checked_at: cached?.checkedAt ? new Date(cached.checkedAt).toISOString() : null,
      error,
    };
  }

  private load(): void {
    if (!existsSync(this.o.cacheFile)) return;
    try {
      const stored = JSON.parse(readFileSync(this.o.cacheFile, "utf8")) as { version?: number; repositories?: Record<string, CachedRepository> };
      if (stored.version !== CACHE_VERSION || !stored.repositories) return;
      for (const [key, entry] of Object.entries(stored.repositories)) {
        if (Array.isArray(entry.tags)) this.cache.set(key, { tags: entry.tags, details: entry.details ?? {}, checkedAt: entry.checkedAt ?? null, error: entry.error ?? null });
      }
    } catch {
      // A damaged cache is only a cache: start without it.
    }
  }

  private save(): void {
    try {
      writeFileAtomic(this.o.cacheFile, JSON.stringify({ version: CACHE_VERSION, repositories: Object.fromEntries(this.cache) }), 0o600);
      this.saveFailed = false;
    } catch (error) {
      if (!this.saveFailed) this.o.log?.(`warning: the image catalogue cache could not be saved: ${(error as Error).message}`);
      this.saveFailed = true;
    }
  }
}

const keyOf = (repo: { host: string; repository: string }) => `${repo.host}/${repo.repository}`;
