/**
 * Helpers for the available-images catalogue: an image + chosen tag as a pull reference, the list
 * grouped by OS and searched, a bare image name offered as its full reference, the newest tags
 * with their size and date, and how many local VMs came from an image.
 */
import type { VmImage } from "../api/types.ts";
import { formatRelative, formatSizeOnDisk } from "./format.ts";
import { osLabel } from "./vm-labels.ts";
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

/** Case-insensitive match on name, description, reference, OS and tags. */
export function filterImages(images: readonly VmImage[], text: string): VmImage[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...images];
  return images.filter((img) =>
    [img.name, img.description ?? "", img.url, osLabel(img.os), ...img.tags].some((field) => field.toLowerCase().includes(needle)),
  );
}

export interface ImageGroup {
  key: "darwin" | "linux" | "other";
  label: string;
  images: VmImage[];
}

/** macOS, then Linux, then the rest (an added repository whose OS its name does not tell); empty groups left out. */
export function groupByOs(images: readonly VmImage[]): ImageGroup[] {
  const groups: ImageGroup[] = [
    { key: "darwin", label: "macOS", images: [] },
    { key: "linux", label: "Linux", images: [] },
    { key: "other", label: "Other", images: [] },
  ];
  for (const image of images) groups[image.os === "darwin" ? 0 : image.os === "linux" ? 1 : 2]!.images.push(image);
  return groups.filter((group) => group.images.length > 0);
}

/** The last part of an image's repository: `macos-sequoia-base` for ghcr.io/cirruslabs/macos-sequoia-base. */
export const shortName = (image: Pick<VmImage, "url">): string => repositoryOf(image.url).split("/").pop() ?? "";

export interface Suggestion {
  image: VmImage;
  reference: string;
}

/**
 * What a bare name typed where a reference goes stands for: `macos-sequoia-base` (or
 * `macos-sequoia-base:26.1`) → `ghcr.io/cirruslabs/macos-sequoia-base:latest` (`:26.1`). The
 * image of exactly that name first, then those whose name starts with it; none once the text has
 * a `/` (it is a reference then) or the tag part is not a tag.
 */
export function bareNameSuggestions(text: string, images: readonly VmImage[], max = 5): Suggestion[] {
  const typed = text.trim().toLowerCase();
  if (!typed || typed.includes("/") || typed.includes("@")) return [];
  const colon = typed.indexOf(":");
  const name = colon < 0 ? typed : typed.slice(0, colon);
  const tag = colon < 0 ? null : text.trim().slice(colon + 1);
  if (!name || (tag !== null && !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag))) return [];
  const exact = images.filter((image) => shortName(image) === name);
  const starting = images.filter((image) => shortName(image) !== name && shortName(image).startsWith(name));
  return [...exact, ...starting].slice(0, max).map((image) => ({ image, reference: pullReference(image, tag ?? defaultTag(image)) }));
}

/** The tags whose size and date the registry told (the newest few), in the image's tag order. */
export function newestTags(image: Pick<VmImage, "tags" | "tag_details">): string[] {
  const details = image.tag_details ?? {};
  return image.tags.filter((tag) => details[tag]);
}

/** "latest · 21 GB · 3 days ago": a tag with the size to download and when it was pushed. */
export function tagChipLabel(image: Pick<VmImage, "tag_details">, tag: string, nowMs: number): string {
  const details = image.tag_details?.[tag];
  const parts = [tag];
  if (details?.download_bytes != null) parts.push(formatSizeOnDisk(details.download_bytes / 1024 ** 3));
  if (details?.uploaded_at) parts.push(formatRelative(details.uploaded_at, nowMs));
  return parts.join(" · ");
}

/** "1 VM", "2 VMs". */
export const vmCountLabel = (count: number): string => `${count} ${count === 1 ? "VM" : "VMs"}`;

/** The local VMs the catalogue says came from the repository of `reference` (a tag or digest reference). */
export function localVmsFor(images: readonly Pick<VmImage, "url" | "local_vms">[], reference: string): string[] {
  const repository = repositoryOf(reference);
  return images.find((image) => repositoryOf(image.url) === repository)?.local_vms ?? [];
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
