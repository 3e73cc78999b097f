/** How the catalogue orders an image's tags, whichever source listed them. */

/** "latest" first, then versions newest first ("26.2" before "16.4"), then the rest; no repeats. */
export function sortTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort((a, b) => {
    if (a === "latest" || b === "latest") return a === "latest" ? -1 : 1;
    return b.localeCompare(a, undefined, { numeric: true });
  });
}
