/** Wire schemas of the console routes (routes/console.ts), shared with the OpenAPI document. */
import { t } from "elysia";

/** A macOS guest's Screen Sharing login, remembered only when the user asks (PUT …/console/credentials). */
export const CredentialsBody = t.Object(
  {
    username: t.String({ minLength: 1, maxLength: 256, error: "must be the guest's user name (1–256 characters)" }),
    password: t.String({ maxLength: 1024, error: "must be a string of at most 1024 characters" }),
  },
  { additionalProperties: false, error: 'must be {"username": "...", "password": "..."}' },
);
