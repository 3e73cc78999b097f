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
