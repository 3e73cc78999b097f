/** Wire schemas of the settings: the GitHub token and the catalogue's added repositories. */
import { t } from "elysia";
import { MAX_ADDED_REPOSITORIES, MAX_REPOSITORY_LENGTH } from "../../domain/added-repositories.ts";

export const GithubTokenBody = t.Object(
  {
    token: t.String({ maxLength: 1024, pattern: "^[\\x21-\\x7e]*$", error: "must be a token of printable characters without spaces (or \"\" to clear)" }),
  },
  { error: "must be a JSON object with token" },
);

/** The whole list of added repositories; it replaces the one stored. */
export const RepositoriesBody = t.Object(
  {
    repositories: t.Array(
      t.String({ maxLength: MAX_REPOSITORY_LENGTH, error: `must be a repository such as ghcr.io/owner/image, at most ${MAX_REPOSITORY_LENGTH} characters` }),
      { maxItems: MAX_ADDED_REPOSITORIES, error: `must be a list of at most ${MAX_ADDED_REPOSITORIES} repositories` },
    ),
  },
  { error: "must be a JSON object with repositories" },
);

export interface RepositoriesSetting {
  repositories: string[];
}
