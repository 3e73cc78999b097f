/**
 * The one place that turns errors into HTTP answers: a domain code maps to one status, the body
 * is always `{"detail": string}`, and nothing internal (stack traces, Elysia's validation dump)
 * reaches a client. Elysia's own errors (unknown route, bad JSON, schema violations) are mapped
 * here too.
 */
import { AppError, type ErrorCode } from "../domain/errors.ts";

export const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  upstream_refused: 400,
  tart_failed: 502,
  tart_bad_output: 502,
  upstream_failed: 502,
  tart_unavailable: 503,
  timeout: 504,
  insufficient_storage: 507,
  cancelled: 409,
  internal: 500,
};

export interface ErrorAnswer {
  status: number;
  body: { detail: string };
  headers?: Record<string, string>;
}

/** A 405 that names the methods the route does allow, for the Allow header the answer must carry. */
export class MethodNotAllowed extends AppError {
  constructor(
    readonly allow: readonly string[],
    detail: string,
  ) {
    super("method_not_allowed", detail);
  }
}

interface ValidationIssue {
  path?: string;
  message?: string;
  schema?: { error?: unknown };
}

export function answerFor(code: string | number, error: unknown, log: (message: string) => void): ErrorAnswer {
  if (error instanceof MethodNotAllowed) return { status: 405, body: { detail: error.detail }, headers: { allow: error.allow.join(", ") } };
  if (error instanceof AppError) return { status: STATUS[error.code], body: { detail: error.detail } };
  // Elysia wraps whatever a body parser throws in a ParseError; our parser's refusals (413) are
  // AppErrors and keep their own status.
  const cause = (error as { cause?: unknown })?.cause;
  if (code === "PARSE" && cause instanceof AppError) return { status: STATUS[cause.code], body: { detail: cause.detail } };
  switch (code) {
    case "NOT_FOUND":
      return { status: 404, body: { detail: "Not Found" } };
    case "PARSE":
      return { status: 400, body: { detail: "The request body is not valid JSON" } };
    case "VALIDATION":
      return { status: 422, body: { detail: validationDetail(error) } };
    case "INVALID_COOKIE_SIGNATURE":
    case "INVALID_FILE_TYPE":
      return { status: 400, body: { detail: "Bad request" } };
  }
  log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  return { status: 500, body: { detail: "Internal server error" } };
}

/** "cpu: must be an integer from 1 to 64" — the field and why, from the schema's own message. */
function validationDetail(error: unknown): string {
  const issues = (error as { all?: ValidationIssue[] }).all ?? [];
  const first = issues[0];
  if (!first) return "The request is not valid";
  const field = (first.path ?? "").replace(/^\//, "").replace(/\//g, ".") || "body";
  const why = typeof first.schema?.error === "string" ? first.schema.error : first.message ?? "is not valid";
  return `${field}: ${why}`;
}
