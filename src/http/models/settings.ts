/** Wire schema of the GitHub token setting. */
import { t } from "elysia";

export const GithubTokenBody = t.Object(
  {
    token: t.String({ maxLength: 1024, pattern: "^[\\x21-\\x7e]*$", error: "must be a token of printable characters without spaces (or \"\" to clear)" }),
  },
  { error: "must be a JSON object with token" },
);
