/**
 * The words under a pull's progress bar: what tart is doing (waiting for another pull, reading
 * the manifest, downloading the disk, retrying after a network drop), how far in bytes, how fast
 * and how long still — "4.2 of 24.3 GB · 85 MB/s · about 4 min left". Sizes are decimal GB, as
 * tart's own "pulling disk (24.3 GB compressed)" line counts them, so the two agree. Pure: the
 * current time is a parameter.
 */
import type { PullProgress } from "../api/types.ts";

const GB = 1e9;
const MB = 1e6;

/** 4.2e9 → "4.2 GB", 350e6 → "350 MB", 0 → "0 MB". */
export function formatTransferBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(1)} GB`;
  return `${Math.round(bytes / MB)} MB`;
}

/** 85e6 → "85 MB/s", 1.5e9 → "1.5 GB/s". */
export function formatRate(bytesPerSecond: number): string {
  if (bytesPerSecond >= GB) return `${(bytesPerSecond / GB).toFixed(1)} GB/s`;
  if (bytesPerSecond >= 10 * MB) return `${Math.round(bytesPerSecond / MB)} MB/s`;
  return `${(bytesPerSecond / MB).toFixed(1)} MB/s`;
}

/** Rounded the way people say it: "under a minute", "about 4 min", "about 1 h 20 min". */
export function formatEta(seconds: number): string {
  if (seconds < 60) return "less than a minute left";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `about ${hours} h ${rest} min left` : `about ${hours} h left`;
}

const PHASE_WORDS: Record<PullProgress["phase"], string> = {
  lock: "Waiting for another pull from the same registry",
  manifest: "Reading the manifest",
  disk: "Downloading the disk",
  nvram: "Downloading the NVRAM",
  dedupe: "Reusing layers already on this Mac",
  cached: "Already cached",
  retrying: "Network lost",
  done: "Done",
};

/** One line for a pull in flight, or null when there is nothing to say beyond the bar. */
export function pullProgressText(progress: PullProgress | null | undefined, nowSeconds: number): string | null {
  if (!progress) return null;
  const parts: string[] = [];
  const attempt = progress.attempt > 1 ? ` (attempt ${progress.attempt})` : "";
  if (progress.phase === "retrying") {
    const wait = progress.retry_at === null ? null : Math.max(0, Math.ceil(progress.retry_at - nowSeconds));
    parts.push(wait === null ? `Network lost; retrying${attempt}` : `Network lost; retrying in ${wait} s${attempt}`);
    return parts.join(" · ");
  }
  if (progress.phase !== "disk") parts.push(PHASE_WORDS[progress.phase] + attempt);
  else if (attempt) parts.push(`Attempt ${progress.attempt}`);
  if (progress.bytes_total !== null && progress.phase !== "cached") {
    const done = progress.bytes_done ?? 0;
    parts.push(`${formatTransferBytes(done)} of ${formatTransferBytes(progress.bytes_total)}`);
  }
  if (progress.phase === "disk" && progress.bytes_per_second !== null && progress.bytes_per_second > 0) {
    parts.push(formatRate(progress.bytes_per_second));
    if (progress.eta_seconds !== null) parts.push(formatEta(progress.eta_seconds));
  }
  return parts.length ? parts.join(" · ") : null;
}
