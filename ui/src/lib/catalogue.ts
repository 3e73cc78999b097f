/** Helpers for the available-images catalogue: turning an image + chosen tag into a pull ref. */
import type { VmImage } from "../api/types.ts";
import { formatSizeOnDisk } from "./format.ts";
import { splitOciReference } from "./validate.ts";

/** The image's URL without its tag or digest: `ghcr.io/cirruslabs/macos-sequoia-base`. */
export function repositoryOf(url: string): string {
  const parts = splitOciReference(url);
  return parts ? `${parts.host}/${parts.repository}` : url;
}

/** The tag the URL names, else "latest" if offered, else the first tag. */
export function defaultTag(image: Pick<VmImage, "url" | "tags">): string {
  const fromUrl = splitOciReference(image.url)?.tag;
  if (fromUrl) return fromUrl;
  if (image.tags.includes("latest")) return "latest";
  return image.tags[0] ?? "latest";
}

export const pullReference = (image: Pick<VmImage, "url">, tag: string): string => `${repositoryOf(image.url)}:${tag}`;

/** Case-insensitive match on name, description and tags. */
export function filterImages(images: readonly VmImage[], text: string): VmImage[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...images];
  return images.filter((img) =>
    [img.name, img.description ?? "", img.url, ...img.tags].some((field) => field.toLowerCase().includes(needle)),
  );
}

/** What the catalogue part of the Pull dialog shows. */
export type CatalogueView =
  | { kind: "loading" }
  | { kind: "error"; message: string }
  | { kind: "empty" }
  | { kind: "list"; images: readonly VmImage[] };

export interface CatalogueLoad {
  loading: boolean;
  /** The failed request's detail, or null. */
  error: string | null;
  /** The last list received, or null before the first answer. */
  images: readonly VmImage[] | null;
}

/** Error first (a failed reload must not hide behind the old list), then loading, then the list. */
export function catalogueView(load: CatalogueLoad): CatalogueView {
  if (load.error !== null) return { kind: "error", message: load.error };
  if (load.images === null) return { kind: "loading" };
  if (load.images.length > 0) return { kind: "list", images: load.images };
  return { kind: "empty" };
}

/**
 * The sentence above the list when the registry could not be asked: the server still lists
 * every built-in image, with the tags it saw last (or only a default tag), and says why.
 */
export function registryNote(images: readonly Pick<VmImage, "error" | "checked_at">[]): string | null {
  const failing = images.filter((image) => image.error !== null);
  if (failing.length === 0) return null;
  const never = failing.every((image) => image.checked_at === null);
  return never
    ? `The registry could not be reached (${failing[0]!.error}): the images are listed with their usual tag only.`
    : `The registry could not be reached (${failing[0]!.error}): the tags shown are the last ones seen.`;
}

/** "20.1 GB download · 50 GB disk" for a tag whose manifest was read, else null. */
export function tagSummary(image: Pick<VmImage, "tag_details">, tag: string): string | null {
  const details = image.tag_details?.[tag];
  if (!details) return null;
  const gb = (bytes: number) => formatSizeOnDisk(bytes / 1024 ** 3);
  const parts = [details.download_bytes !== null ? `${gb(details.download_bytes)} download` : null, details.disk_bytes !== null ? `${gb(details.disk_bytes)} disk` : null];
  const text = parts.filter(Boolean).join(" · ");
  return text || null;
}
