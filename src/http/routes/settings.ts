/**
 * GET/POST /api/settings/github-token: the catalogue's GitHub token, only ever shown masked. A new
 * token is shown to GitHub before it is kept: one it refuses is a 400 and is not saved; when
 * GitHub cannot be reached the token is saved unchecked, since that says nothing about it.
 *
 * GET/POST /api/settings/repositories: the repositories added to the catalogue, the whole list at
 * a time; each new one is shown to its registry the same way (domain/added-repositories.ts).
 */
import { Elysia } from "elysia";
import { AppError } from "../../domain/errors.ts";
import type { AddedRepositories } from "../../domain/added-repositories.ts";
import type { GithubTokenCheck } from "../../domain/ports.ts";
import type { GithubTokenSetting } from "../../storage/github-token.ts";
import { GithubTokenBody, RepositoriesBody, type RepositoriesSetting } from "../models/settings.ts";

export function settingsRoutes(deps: { githubToken: GithubTokenSetting; github: GithubTokenCheck; repositories: AddedRepositories }) {
  return new Elysia({ name: "settings" })
    .get("/api/settings/github-token", () => deps.githubToken.status())
    .post(
      "/api/settings/github-token",
      async ({ body }) => {
        const token = body.token.trim();
        if (token !== "") await checkWithGithub(deps.github, token);
        deps.githubToken.set(token);
        return deps.githubToken.status();
      },
      { body: GithubTokenBody },
    )
    .get("/api/settings/repositories", (): RepositoriesSetting => ({ repositories: deps.repositories.list() }))
    .post(
      "/api/settings/repositories",
      async ({ body }): Promise<RepositoriesSetting> => ({ repositories: await deps.repositories.replace(body.repositories) }),
      { body: RepositoriesBody },
    );
}

async function checkWithGithub(github: GithubTokenCheck, token: string): Promise<void> {
  try {
    await github.check(token);
  } catch (error) {
    if (error instanceof AppError && error.code === "upstream_refused") {
      throw new AppError(
        "upstream_refused",
        `${error.detail}. Create a classic token with only the read:packages scope at ` +
          "https://github.com/settings/tokens/new?scopes=read:packages&description=taartenfabriek",
      );
    }
    // Unreachable or failing: keep the token; the catalogue will say what GitHub answers later.
  }
}
