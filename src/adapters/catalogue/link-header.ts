/**
 * The `rel="next"` page of a `Link` header, as both catalogue sources page: GitHub's are absolute
 * URLs to follow verbatim (they use /organizations/{id}/, not the path asked for); GHCR's are
 * paths relative to the registry, resolved against `base` when one is given.
 */
export function nextLink(header: string | null, base?: string): string | null {
  if (!header) return null;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return base ? new URL(match[1]!, `${base}/`).toString() : match[1]!;
  }
  return null;
}
