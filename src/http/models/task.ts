/** Wire schema of the task history query. */
import { t } from "elysia";

export const HistoryQuery = t.Object({
  limit: t.Optional(t.String({ pattern: "^[0-9]{1,4}$", error: "must be an integer from 1 to 500" })),
  before: t.Optional(t.String({ pattern: "^[0-9]+(\\.[0-9]+)?$", error: "must be a unix timestamp" })),
});
