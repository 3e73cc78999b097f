/**
 * Tart's units turned into the API's: `tart get` reports memory in MiB and disk in GB
 * (as tart 2.32 prints them); the API shows both as e.g. "8G" / "50G". `tart set --memory` takes MiB,
 * while the API's create body takes whole GB.
 */
export function memoryFromMiB(mib: number | null | undefined): string | null {
  if (typeof mib !== "number" || !Number.isFinite(mib) || mib < 0) return null;
  if (mib % 1024 === 0) return `${mib / 1024}G`;
  return `${Math.round(mib)}M`;
}

export function diskFromGB(gb: number | null | undefined): string | null {
  if (typeof gb !== "number" || !Number.isFinite(gb) || gb < 0) return null;
  return `${gb}G`;
}

export const gbToMiB = (gb: number) => gb * 1024;
