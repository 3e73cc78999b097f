/**
 * Input validation the UI runs as the user types. It mirrors the server's rules (the server
 * enforces them again) so a mistake is explained next to the field instead of after a round
 * trip. Each validator returns the message to show, or null when the value is fine.
 */

export const LIMITS = {
  name: { max: 128 },
  cpu: { min: 1, max: 64 },
  memory: { min: 1, max: 512 },
  disk: { min: 1, max: 4096 },
  tag: { max: 128 },
} as const;

const NAME_CHARS = /^[A-Za-z0-9._-]+$/;

export function validateVmName(name: string, existing: ReadonlySet<string> = new Set()): string | null {
  if (name.length === 0) return "Enter a name.";
  if (name.length > LIMITS.name.max) return `At most ${LIMITS.name.max} characters (this has ${name.length}).`;
  if (name === "." || name === "..") return `"${name}" is not allowed as a name.`;
  if (!NAME_CHARS.test(name)) return "Use only letters, digits, dot, underscore and hyphen.";
  if (name.startsWith("-") || name.startsWith(".")) return "The name cannot start with a hyphen or a dot.";
  if (existing.has(name)) return `A VM named "${name}" already exists.`;
  return null;
}

/** Parses a whole number typed into a field; `null` for anything else (1.5, "4x", ""). */
export function parseWholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : null;
}

export function validateRange(text: string, min: number, max: number, unit = ""): string | null {
  const suffix = unit ? ` ${unit}` : "";
  if (text.trim() === "") return `Enter a number from ${min} to ${max}${suffix}.`;
  const n = parseWholeNumber(text);
  if (n === null) return "Enter a whole number.";
  if (n < min || n > max) return `Must be from ${min} to ${max}${suffix}.`;
  return null;
}

export const validateCpu = (text: string) => validateRange(text, LIMITS.cpu.min, LIMITS.cpu.max, "cores");
export const validateMemory = (text: string) => validateRange(text, LIMITS.memory.min, LIMITS.memory.max, "GB");
export const validateDisk = (text: string) => validateRange(text, LIMITS.disk.min, LIMITS.disk.max, "GB");

// Registry host: DNS labels or an IPv4 address, with an optional port.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d{1,5})?$/;
// One repository path component, as the OCI distribution spec defines it (lowercase only).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface OciReference {
  host: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

/** Splits `host[:port]/path[:tag|@sha256:…]` without judging it; null when there is no `/`. */
export function splitOciReference(ref: string): OciReference | null {
  const slash = ref.indexOf("/");
  if (slash < 0) return null;
  const host = ref.slice(0, slash);
  let rest = ref.slice(slash + 1);
  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0 && !rest.slice(colon).includes("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { host, repository: rest, tag, digest };
}

export function validateOciReference(input: string): string | null {
  const ref = input.trim();
  if (!ref) return "Enter an OCI reference such as ghcr.io/cirruslabs/macos-sequoia-base:latest.";
  if (/\s/.test(ref)) return "The reference cannot contain spaces.";
  if (/^[a-z]+:\/\//i.test(ref)) return "Leave out the scheme: write ghcr.io/… rather than https://ghcr.io/….";
  const parts = splitOciReference(ref);
  if (!parts) return "Start with the registry host, e.g. ghcr.io/owner/image:tag.";
  const hostName = parts.host.replace(/:\d+$/, "");
  if (!HOST.test(parts.host) || !(hostName.includes(".") || hostName === "localhost" || parts.host.includes(":"))) {
    return `"${parts.host}" is not a registry host (e.g. ghcr.io or localhost:5000).`;
  }
  if (!parts.repository) return "Add the repository path after the host.";
  for (const component of parts.repository.split("/")) {
    if (!component) return "The repository path has an empty part (two slashes in a row?).";
    if (!PATH_COMPONENT.test(component)) {
      return component !== component.toLowerCase()
        ? "The repository path must be lowercase."
        : `"${component}" is not a valid repository path part.`;
    }
  }
  if (parts.tag !== null) {
    if (!parts.tag) return "The tag after ':' is empty.";
    if (parts.tag.length > LIMITS.tag.max) return `The tag is longer than ${LIMITS.tag.max} characters.`;
    if (!TAG.test(parts.tag)) return "The tag may use letters, digits, '_', '.' and '-', and not start with '.' or '-'.";
  }
  if (parts.digest !== null && !DIGEST.test(parts.digest)) {
    return "A digest must be sha256: followed by 64 lowercase hex digits.";
  }
  return null;
}

export interface CreateForm {
  name: string;
  source: string;
  cpu: string;
  memory: string;
  disk: string;
}

export type FormErrors<T> = Partial<Record<keyof T, string>>;

export function validateCreateForm(form: CreateForm, existing: ReadonlySet<string>): FormErrors<CreateForm> {
  const errors: FormErrors<CreateForm> = {};
  const name = validateVmName(form.name, existing);
  if (name) errors.name = name;
  if (!form.source) errors.source = "Choose the image or VM to start from.";
  const cpu = validateCpu(form.cpu);
  if (cpu) errors.cpu = cpu;
  const memory = validateMemory(form.memory);
  if (memory) errors.memory = memory;
  const disk = validateDisk(form.disk);
  if (disk) errors.disk = disk;
  return errors;
}

export const hasErrors = (errors: Record<string, unknown>): boolean =>
  Object.values(errors).some((v) => v != null && v !== "");

/** A suggested local name for a VM made from `source`: the image's last path part, made unique. */
export function suggestVmName(source: string, existing: ReadonlySet<string>): string {
  const last = source.split("/").pop() ?? source;
  let base = last.replace(/[@:].*$/, "").replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[-.]+/, "") || "vm";
  base = base.slice(0, 100);
  if (!existing.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!existing.has(candidate)) return candidate;
  }
}
