/**
 * Parses tart's JSON output into typed records. Key order is not fixed and fields come and go
 * between tart versions, so every field is read by name and optional; anything
 * that is not the expected shape is reported as bad output rather than guessed at.
 */
import { AppError } from "../../domain/errors.ts";
import type { TartListEntry, TartState, TartVmConfig } from "../../domain/ports.ts";

function parseJson(text: string, command: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const sample = text.trim().slice(0, 120);
    throw new AppError("tart_bad_output", `tart ${command} printed output that is not JSON: ${JSON.stringify(sample)}`);
  }
}

const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === "string" ? value : null);

function stateOf(state: unknown, running: unknown): TartState | null {
  if (state === "running" || state === "suspended" || state === "stopped") return state;
  if (typeof running === "boolean") return running ? "running" : "stopped"; // tart < 1.8.0 had no State
  return null;
}

export function parseList(text: string): TartListEntry[] {
  const data = parseJson(text, "list");
  if (!Array.isArray(data)) throw new AppError("tart_bad_output", "tart list printed JSON that is not a list");
  return data.map((item, index) => {
    if (!item || typeof item !== "object" || typeof (item as Record<string, unknown>).Name !== "string") {
      throw new AppError("tart_bad_output", `tart list entry ${index} has no Name`);
    }
    const row = item as Record<string, unknown>;
    const state = stateOf(row.State, row.Running);
    return {
      // "oci" before tart 2.11.0, "OCI" since: compare case-insensitively.
      source: String(row.Source ?? "local").toLowerCase() === "oci" ? "oci" : "local",
      name: row.Name as string,
      disk: num(row.Disk),
      size: num(row.Size) ?? num(row.SizeOnDisk),
      accessed: str(row.Accessed),
      running: state === "running",
      state,
    } satisfies TartListEntry;
  });
}

export function parseGet(text: string): TartVmConfig {
  const data = parseJson(text, "get");
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new AppError("tart_bad_output", "tart get printed JSON that is not an object");
  }
  const raw = data as Record<string, unknown>;
  return {
    os: str(raw.OS),
    cpu: num(raw.CPU),
    memoryMiB: num(raw.Memory),
    diskGB: num(raw.Disk),
    display: str(raw.Display),
    state: stateOf(raw.State, raw.Running),
    raw,
  };
}
