/** GET/POST /api/settings/github-token: the catalogue's GitHub token, only ever shown masked. */
import { Elysia } from "elysia";
import type { GithubTokenSetting } from "../../storage/github-token.ts";
import { GithubTokenBody } from "../models/settings.ts";

export function settingsRoutes(deps: { githubToken: GithubTokenSetting }) {
  return new Elysia({ name: "settings" })
    .get("/api/settings/github-token", () => deps.githubToken.status())
    .post(
      "/api/settings/github-token",
      ({ body }) => {
        deps.githubToken.set(body.token.trim());
        return deps.githubToken.status();
      },
      { body: GithubTokenBody },
    );
}
