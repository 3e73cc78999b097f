/** `POST /api/autostart`: `{"name": "dev", "enabled": true}`. */
import { t } from "elysia";
import { MAX_NAME_LENGTH } from "../../domain/names.ts";

export const AutostartBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, error: `must be a VM name of 1 to ${MAX_NAME_LENGTH} characters` }),
    enabled: t.Boolean({ error: "must be true or false" }),
  },
  { error: 'must be a JSON object, {"name": "…", "enabled": true}' },
);
