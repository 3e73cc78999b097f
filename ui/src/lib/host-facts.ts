/**
 * The words of Settings → Host: sizes in bytes as people read them (decimal GB, as Finder and
 * tart's own messages count), the disk's use, the macOS VMs against their limit, and the prune
 * form: its fields checked as typed, the request it sends, the `tart prune` line it will run and
 * what a finished prune reports. Pure, with unit tests.
 */
import { pruneArgs } from "../../../src/adapters/tart/tart-argv.ts";
import type { HostFacts, PruneRequest } from "../api/types.ts";
import { renderLine } from "./command-preview.ts";
import { parseWholeNumber } from "./validate.ts";

export function formatBytes(bytes: number | null | undefined): string {
  if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes >= 1e12) return `${(bytes / 1e12).toFixed(2)} TB`;
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** "212.4 GB free of 994.7 GB", and the used share for the bar (null when unknown). */
export function diskUsage(disk: HostFacts["disk"]): { text: string; usedPercent: number | null } {
  if (disk.free_bytes === null) return { text: "unknown", usedPercent: null };
  if (!disk.total_bytes) return { text: `${formatBytes(disk.free_bytes)} free`, usedPercent: null };
  const used = Math.min(100, Math.max(0, Math.round((1 - disk.free_bytes / disk.total_bytes) * 100)));
  return { text: `${formatBytes(disk.free_bytes)} free of ${formatBytes(disk.total_bytes)}`, usedPercent: used };
}

/** "1 of 2", with the names of the running ones. */
export function macosVmsLabel(vms: HostFacts["macos_vms"]): string {
  const names = vms.names.length ? ` (${vms.names.join(", ")})` : "";
  return `${vms.running} of ${vms.limit}${names}`;
}

export function osText(os: HostFacts["os"]): string {
  const name = os.name === "linux" ? "Linux" : os.name;
  return os.version ? `${name} ${os.version}` : name;
}

export interface PruneForm {
  entries: "caches" | "vms";
  olderThan: string;
  spaceBudget: string;
}

export type PruneErrors = Partial<Record<"olderThan" | "spaceBudget" | "criteria", string>>;

const MAX_DAYS = 36_500;
const MAX_GB = 1_048_576;

function wholeOrEmpty(text: string, max: number, unit: string): { value: number | undefined; error?: string } {
  if (text.trim() === "") return { value: undefined };
  const n = parseWholeNumber(text);
  if (n === null || n > max) return { value: undefined, error: `Enter a whole number of ${unit} from 0 to ${max}.` };
  return { value: n };
}

/** The request the form sends, or why it cannot be sent yet (tart needs one criterion at least). */
export function pruneRequest(form: PruneForm): { request: PruneRequest | null; errors: PruneErrors } {
  const older = wholeOrEmpty(form.olderThan, MAX_DAYS, "days");
  const budget = wholeOrEmpty(form.spaceBudget, MAX_GB, "GB");
  const errors: PruneErrors = {};
  if (older.error) errors.olderThan = older.error;
  if (budget.error) errors.spaceBudget = budget.error;
  if (!older.error && !budget.error && older.value === undefined && budget.value === undefined) {
    errors.criteria = "Give an age in days, a space budget in GB, or both.";
  }
  if (Object.keys(errors).length) return { request: null, errors };
  return {
    request: {
      entries: form.entries,
      ...(older.value !== undefined ? { older_than_days: older.value } : {}),
      ...(budget.value !== undefined ? { space_budget_gb: budget.value } : {}),
    },
    errors,
  };
}

/** The `tart prune …` line the form will run (placeholders while it cannot run). */
export function pruneCommand(form: PruneForm): string {
  const { request } = pruneRequest(form);
  if (!request) return renderLine(["prune", "--entries", form.entries, "\u0000criteria\u0000"]);
  return renderLine(pruneArgs({ entries: request.entries, olderThanDays: request.older_than_days ?? undefined, spaceBudgetGB: request.space_budget_gb ?? undefined }));
}

export interface PruneOutcome {
  bytes_before?: number;
  bytes_after?: number;
  bytes_reclaimed?: number;
  free_bytes_before?: number | null;
  free_bytes_after?: number | null;
  removed?: { name: string; kind: string; bytes: number }[];
}

/** "Reclaimed 48.2 GB: 50.1 GB → 1.9 GB; 2 entries removed." */
export function pruneSummary(result: PruneOutcome): string {
  const removed = result.removed?.length ?? 0;
  const entries = removed === 1 ? "1 entry removed" : `${removed} entries removed`;
  return `Reclaimed ${formatBytes(result.bytes_reclaimed ?? 0)}: ${formatBytes(result.bytes_before)} → ${formatBytes(result.bytes_after)}; ${entries}.`;
}
