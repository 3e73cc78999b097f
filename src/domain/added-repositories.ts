/**
 * The repositories a user added to the catalogue beside the built-in ones: `ghcr.io/<org>/<repo>`
 * or a repository on any registry that hands out anonymous tokens, without tag or digest.
 *
 * A new list replaces the old one. Every entry is checked first: the OCI grammar (names.ts), no
 * entry twice, none that is built in (422, naming the entry). Then each entry not already in the
 * list is shown to its registry, anonymously, by asking for its tags: a registry that refuses
 * (private, unknown, no anonymous access) turns the whole list away (400, naming the repository
 * and why); one that cannot be reached says nothing about the repository, so it is kept unchecked,
 * as a GitHub token is when GitHub cannot be reached.
 */
import { AppError, invalid } from "./errors.ts";
import { mapConcurrent } from "./limit-concurrency.ts";
import { checkRepositoryName } from "./names.ts";

export const MAX_ADDED_REPOSITORIES = 50;
export const MAX_REPOSITORY_LENGTH = 255;

export interface RepositoryListStore {
  load(): string[];
  save(repositories: string[]): void;
}

export interface RegistryTagsPort {
  /** Throws `upstream_refused` when the registry will not serve the repository anonymously. */
  tags(host: string, repository: string): Promise<string[]>;
}

export interface AddedRepositoriesDeps {
  store: RepositoryListStore;
  registry: RegistryTagsPort;
  /** `host/repository` of each built-in repository. */
  builtIn: readonly string[];
}

export class AddedRepositories {
  private current: string[];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AddedRepositoriesDeps) {
    this.current = deps.store.load();
  }

  list(): string[] {
    return [...this.current];
  }

  /** Checks `requested` and, when every entry passes, stores it as the new list. Saves run one at a time. */
  replace(requested: readonly string[]): Promise<string[]> {
    const run = this.queue.then(() => this.replaceNow(requested));
    this.queue = run.catch(() => {});
    return run;
  }

  private async replaceNow(requested: readonly string[]): Promise<string[]> {
    const next = this.validate(requested);
    const known = new Set(this.current);
    const fresh = next.filter((repository) => !known.has(repository));
    const refusals = (
      await mapConcurrent(fresh, 4, async (repository) => {
        const slash = repository.indexOf("/");
        try {
          await this.deps.registry.tags(repository.slice(0, slash), repository.slice(slash + 1));
          return null;
        } catch (error) {
          // Unreachable, slow or rate-limited says nothing about the repository: keep it.
          return error instanceof AppError && error.code === "upstream_refused" ? `${repository}: ${error.detail}` : null;
        }
      })
    ).filter((refusal): refusal is string => refusal !== null);
    if (refusals.length) throw new AppError("upstream_refused", `Not saved. ${refusals.join("; ")}`);
    this.deps.store.save(next);
    this.current = next;
    return this.list();
  }

  /** Trimmed, the host lowercased (host names ignore case); 422 for the first entry that fails. */
  private validate(requested: readonly string[]): string[] {
    if (requested.length > MAX_ADDED_REPOSITORIES) {
      throw invalid(`repositories: at most ${MAX_ADDED_REPOSITORIES} repositories (got ${requested.length})`);
    }
    const builtIn = new Set(this.deps.builtIn);
    const seen = new Map<string, number>();
    return requested.map((text, index) => {
      const field = `repositories.${index}`;
      const trimmed = typeof text === "string" ? text.trim() : text;
      if (typeof trimmed === "string" && trimmed.length > MAX_REPOSITORY_LENGTH) {
        throw invalid(`${field}: must be at most ${MAX_REPOSITORY_LENGTH} characters (got ${trimmed.length})`);
      }
      const { host, repository } = checkRepositoryName(trimmed, field);
      const name = `${host.toLowerCase()}/${repository}`;
      if (builtIn.has(name)) throw invalid(`${field}: ${name} is built in; the catalogue always lists it`);
      const first = seen.get(name);
      if (first !== undefined) throw invalid(`${field}: ${name} is already in the list (repositories.${first})`);
      seen.set(name, index);
      return name;
    });
  }
}
