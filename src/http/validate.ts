/**
 * Validation for the bodies Elysia cannot check by route (the VM-name routes are one wildcard,
 * see routes/vm-by-name.ts): the same schemas, the same "field: why" detail as http/errors.ts.
 */
import type { Static, TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { invalid } from "../domain/errors.ts";
import { EmptyBody } from "./models/vm.ts";

export function validate<S extends TSchema>(schema: S, value: unknown): Static<S> {
  if (Value.Check(schema, value)) return value as Static<S>;
  const first = Value.Errors(schema, value).First();
  const field = (first?.path ?? "").replace(/^\//, "").replace(/\//g, ".") || "body";
  const why = typeof first?.schema.error === "string" ? first.schema.error : first?.message ?? "is not valid";
  throw invalid(`${field}: ${why}`);
}

/**
 * The body of an action that takes none: nothing at all, `null` or `{}` (curl without `-d`, or the
 * original app's `{}`), and anything else refused with the schema's 422.
 */
export function checkEmptyBody(body: unknown): void {
  if (body === undefined || body === null) return;
  validate(EmptyBody, body);
}
