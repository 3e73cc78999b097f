/**
 * Domain errors: values with a stable code. The HTTP layer maps each code to one status in one
 * place (http/errors.ts); nothing anywhere matches on message text.
 */
export type ErrorCode =
  | "bad_request" // malformed input that is not a schema violation (bad JSON, bad encoding)
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation"
  | "tart_failed" // tart ran and answered with an error (message carries its first stderr line)
  | "tart_bad_output" // tart printed something we could not parse
  | "upstream_refused" // a remote API (GitHub) refused our credentials
  | "upstream_failed" // a remote API failed or was unreachable
  | "tart_unavailable" // tart missing or not executable
  | "timeout"
  | "insufficient_storage" // a disk is full: a setting could not be saved, or an image would not fit
  | "cancelled" // a task was cancelled on request (the detail says what was left behind)
  | "internal";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "AppError";
  }
}

export const notFound = (detail: string) => new AppError("not_found", detail);
export const conflict = (detail: string) => new AppError("conflict", detail);
export const invalid = (detail: string) => new AppError("validation", detail);

/** The install hint every "tart missing" answer carries. */
export const TART_INSTALL_HINT =
  "Install Tart with `brew install cirruslabs/cli/tart` (see https://tart.run), " +
  "or point the server at it with --tart PATH or TARTVM_TART_PATH.";

/** Throws the "tart missing" AppError when no tart executable is known (before any task exists). */
export function requireTart(tart: { readonly path: string | null }): void {
  if (!tart.path) throw new AppError("tart_unavailable", `tart was not found. ${TART_INSTALL_HINT}`);
}
