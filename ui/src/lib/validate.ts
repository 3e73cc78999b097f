/**
 * Input validation the UI runs as the user types. The verdict comes from the server's own rules
 * (src/domain: the name grammar, the OCI reference parser, the CPU/memory/disk bounds), imported
 * here so the two cannot drift; this module only adds the friendly sentence that says which part
 * is wrong. Each validator returns the message to show, or null when the value is fine. The
 * server modules imported are pure (no node: imports), so they bundle for the browser.
 */
import { MACOS_MINIMUM, LIMITS as SERVER_LIMITS } from "../../../src/domain/limits.ts";
import { MAX_REPOSITORY_LENGTH } from "../../../src/domain/added-repositories.ts";
import { checkLocalName, MAX_NAME_LENGTH, parseOciReference, parseRegistryHost, parseRepositoryName, vmKey, type OciReference } from "../../../src/domain/names.ts";

export const LIMITS = {
  ...SERVER_LIMITS,
  name: { max: MAX_NAME_LENGTH },
  tag: { max: 128 },
} as const;

/** The host's size as `GET /api/health` reports it; a VM can have at most this much. */
export interface HostLimits {
  cpu_cores: number;
  memory_gb: number;
}

/** Whether the server would accept `name` as a local VM name. */
function serverAcceptsName(name: string): boolean {
  try {
    checkLocalName(name);
    return true;
  } catch {
    return false;
  }
}

const NAME_CHARS = /^[A-Za-z0-9._-]+$/;

export function validateVmName(name: string, existing: ReadonlySet<string> = new Set()): string | null {
  if (!serverAcceptsName(name)) return nameProblem(name);
  // VMs are directories on a case-insensitive volume: "Dev" and "dev" are one VM.
  const key = vmKey(name);
  const clash = [...existing].find((other) => vmKey(other) === key);
  if (clash !== undefined) return clash === name ? `A VM named "${name}" already exists.` : `A VM named "${clash}" already exists (names ignore case).`;
  return null;
}

/** The sentence for a name the server refuses. */
function nameProblem(name: string): string {
  if (name.length === 0) return "Enter a name.";
  if (name.length > LIMITS.name.max) return `At most ${LIMITS.name.max} characters (this has ${name.length}).`;
  if (name === "." || name === "..") return `"${name}" is not allowed as a name.`;
  if (!NAME_CHARS.test(name)) return "Use only letters, digits, dot, underscore and hyphen.";
  if (name.startsWith("-") || name.startsWith(".")) return "The name cannot start with a hyphen or a dot.";
  return "This is not a valid VM name.";
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

// The patterns below only pick the sentence for a reference parseOciReference refused.
// Registry host: DNS labels, an IPv4 address or a bracketed IPv6 one, with an optional port.
const HOST = /^(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
// One repository path component, as the OCI distribution spec defines it (lowercase only).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export type { OciReference };

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
  if (ref && parseOciReference(ref)) return null;
  return referenceProblem(ref);
}

/** The sentence for a reference the server refuses. */
function referenceProblem(ref: string): string {
  if (!ref) return "Enter an OCI reference such as ghcr.io/cirruslabs/macos-sequoia-base:latest.";
  if (/\s/.test(ref)) return "The reference cannot contain spaces.";
  if (/^[a-z]+:\/\//i.test(ref)) return "Leave out the scheme: write ghcr.io/… rather than https://ghcr.io/….";
  const parts = splitOciReference(ref);
  if (!parts) return "Start with the registry host, e.g. ghcr.io/owner/image:tag.";
  const hostName = parts.host.replace(/:\d+$/, "");
  if (!HOST.test(parts.host) || !(hostName.includes(".") || hostName === "localhost" || parts.host.includes(":") || parts.host.startsWith("["))) {
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
  return "This is not a valid OCI reference (host/path:tag).";
}

/**
 * A repository to add to the catalogue (`host[:port]/path`, no tag or digest), against the ones
 * already added; the server also refuses the built-in ones and asks the registry.
 */
export function validateRepository(input: string, existing: readonly string[] = []): string | null {
  const text = input.trim();
  if (!text) return "Enter a repository such as ghcr.io/owner/image.";
  if (text.length > MAX_REPOSITORY_LENGTH) return `At most ${MAX_REPOSITORY_LENGTH} characters (this has ${text.length}).`;
  const parsed = parseRepositoryName(text);
  if (!parsed) {
    const ref = parseOciReference(text);
    if (ref) return `Leave out the ${ref.digest ? "digest" : "tag"}: a repository holds every tag (${ref.host}/${ref.repository}).`;
    const problem = referenceProblem(text);
    return problem.startsWith("Enter an OCI reference") || problem.startsWith("This is not a valid OCI reference")
      ? "This is not a repository (host/path, e.g. ghcr.io/owner/image)."
      : problem.replace("e.g. ghcr.io/owner/image:tag", "e.g. ghcr.io/owner/image");
  }
  const name = `${parsed.host.toLowerCase()}/${parsed.repository}`;
  if (existing.includes(name)) return `${name} is already in the list.`;
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

/** What the create form is checked against beyond its own text: known names, the host, the source. */
export interface CreateContext {
  existing: ReadonlySet<string>;
  /** The host's cores and memory, once health reported them. */
  host?: HostLimits | null;
  /** The source's disk in GB, when the list knows it: tart can only grow a disk. */
  sourceDiskGb?: number | null;
  /** The source's OS ("darwin", "linux"): tart gives a macOS VM at least 4 cores and 4 GB. */
  sourceOs?: string | null;
}

export function validateCreateForm(form: CreateForm, context: CreateContext): FormErrors<CreateForm> {
  const errors: FormErrors<CreateForm> = {};
  const name = validateVmName(form.name, context.existing);
  if (name) errors.name = name;
  if (!form.source) errors.source = "Choose the image or VM to start from.";
  const macos = context.sourceOs === "darwin";
  const cpu = validateCpu(form.cpu) ?? cpuBeyondHost(form.cpu, context.host) ?? (macos ? belowMacosMinimum(form.cpu, "cpu") : null);
  if (cpu) errors.cpu = cpu;
  const memory =
    validateMemory(form.memory) ?? memoryBeyondHost(form.memory, context.host) ?? (macos ? belowMacosMinimum(form.memory, "memory") : null);
  if (memory) errors.memory = memory;
  const disk = validateDisk(form.disk) ?? diskShrink(form.disk, context.sourceDiskGb);
  if (disk) errors.disk = disk;
  return errors;
}

export function belowMacosMinimum(text: string, what: "cpu" | "memory"): string | null {
  const n = parseWholeNumber(text);
  const min = MACOS_MINIMUM[what];
  if (n === null || n >= min) return null;
  return what === "cpu" ? `tart gives a macOS VM at least ${min} cores.` : `tart gives a macOS VM at least ${min} GB of memory.`;
}

export function cpuBeyondHost(text: string, host: HostLimits | null | undefined): string | null {
  const n = parseWholeNumber(text);
  if (n === null || !host || n <= host.cpu_cores) return null;
  return `This Mac has ${host.cpu_cores} ${host.cpu_cores === 1 ? "core" : "cores"}: a VM can have at most ${host.cpu_cores}.`;
}

export function memoryBeyondHost(text: string, host: HostLimits | null | undefined): string | null {
  const n = parseWholeNumber(text);
  if (n === null || !host || n <= host.memory_gb) return null;
  return `This Mac has ${host.memory_gb} GB of memory: a VM can have at most ${host.memory_gb} GB.`;
}

function diskShrink(text: string, sourceGb: number | null | undefined): string | null {
  const n = parseWholeNumber(text);
  if (n === null || sourceGb == null || n >= sourceGb) return null;
  return `The source's disk is ${sourceGb} GB and tart can only grow a disk: enter ${sourceGb} or more.`;
}

/**
 * The smallest disk a VM made from a source with this `disk_size` can have, in whole GB (rounded
 * up: tart refuses anything below the current size). Null when the list does not say.
 */
export function minimumDiskGb(diskSize: number | string | null | undefined): number | null {
  if (typeof diskSize === "number") return Number.isFinite(diskSize) && diskSize > 0 ? Math.ceil(diskSize) : null;
  if (typeof diskSize !== "string") return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(G|GB|T|TB)?\s*$/i.exec(diskSize);
  if (!m) return null;
  const n = Number(m[1]) * (/^t/i.test(m[2] ?? "") ? 1000 : 1);
  return n > 0 ? Math.ceil(n) : null;
}

/** The hint under a size field: the range the server allows, narrowed by the host or source. */
export function rangeHint(min: number, max: number, unit = ""): string {
  return `${min}–${max}${unit ? ` ${unit}` : ""}`;
}

/**
 * Which form field a server refusal is about: the server's validation details start with the
 * body field's name (`cpu: …`, `disk_size: …`), so the message can sit next to that field.
 */
export function fieldOfDetail(detail: string): keyof CreateForm | null {
  const m = /^(name|source_vm|cpu|memory|disk_size)\b/.exec(detail.trim());
  if (!m) return null;
  const map: Record<string, keyof CreateForm> = { name: "name", source_vm: "source", cpu: "cpu", memory: "memory", disk_size: "disk" };
  return map[m[1]!] ?? null;
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

/** A registry host for `tart login`, as the server checks it (names.ts): no scheme, no path. */
export function validateRegistryHost(input: string): string | null {
  const host = input.trim();
  if (!host) return "Enter the registry's host, e.g. registry.example.com:5000.";
  if (parseRegistryHost(host)) return null;
  if (/^[a-z]+:\/\//i.test(host)) return "Give the host without http:// or https://.";
  if (host.includes("/")) return "Give the host alone, without a path.";
  return "Not a registry host: a name with a dot or a port, e.g. registry.example.com:5000.";
}
