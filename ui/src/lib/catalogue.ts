/** Helpers for the available-images catalogue: turning an image + chosen tag into a pull ref. */
import type { VmImage } from "../api/types.ts";
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
  | { kind: "needs-token" }
  | { kind: "empty" }
  | { kind: "list"; images: readonly VmImage[] };

export interface CatalogueLoad {
  loading: boolean;
  /** The failed request's detail, or null. */
  error: string | null;
  /** The last list received, or null before the first answer. */
  images: readonly VmImage[] | null;
  /** Whether a GitHub token is saved; null while unknown. The server lists nothing without one. */
  tokenConfigured: boolean | null;
}

/** Error first (a failed reload must not hide behind the old list), then loading, then the list. */
export function catalogueView(load: CatalogueLoad): CatalogueView {
  if (load.error !== null) return { kind: "error", message: load.error };
  if (load.images === null) return { kind: "loading" };
  if (load.images.length > 0) return { kind: "list", images: load.images };
  return load.tokenConfigured === false ? { kind: "needs-token" } : { kind: "empty" };
}
