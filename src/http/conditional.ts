/**
 * Conditional GETs (RFC 9110 §13.1.2): a client that sends back the ETag it was given gets a
 * bodiless 304 while the content is unchanged. Only If-None-Match is read. Request
 * `Cache-Control: no-cache` (which browsers add to every `cache: "no-store"` fetch) speaks to
 * caches, not to the origin, so it does not turn the comparison off, which is why a general
 * "fresh" helper that honours it would not do here.
 */

/** A strong ETag for a content hash. */
export const etagOf = (hash: string): string => `"${hash}"`;

/** Whether an If-None-Match header names `etag` (weak comparison, lists and `*` allowed). */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

/** The JSON answer for `json`, or a 304 when the client already holds it. */
export function conditionalJson(request: Request, json: string, hash: string): Response {
  const etag = etagOf(hash);
  // no-cache: a browser cache may keep the body but must ask again before each use.
  const headers = { etag, "cache-control": "no-cache" };
  if (ifNoneMatchHits(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(json, { headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}
