/**
 * The contents a test gives the fake GHCR: every built-in Cirrus Labs repository with a `latest`
 * tag, plus the extra tags a test needs for some of them. The fake itself knows nothing of the
 * app's built-in list; this is only the fixture that fills it.
 */
import { CURATED_IMAGES } from "../../src/adapters/catalogue/curated-images.ts";
import type { FakeImage, FakeRepository } from "./fake-ghcr.ts";

export function cirruslabsRepositories(latest: FakeImage, extraTags: Record<string, Record<string, FakeImage>> = {}): FakeRepository[] {
  return CURATED_IMAGES.map((image) => ({
    name: `cirruslabs/${image.name}`,
    tags: { latest, ...extraTags[image.name] },
  }));
}
