/**
 * What may reach `tart` as a VM name or an OCI reference. Every name is checked here before any
 * tart call, because tart itself validates almost nothing: a leading `-` would be
 * parsed as a flag, `..` or `/` would escape the VMs directory, and `clone`/`create` silently
 * overwrite.
 */
import { invalid } from "./errors.ts";

export const MAX_NAME_LENGTH = 128;
const LOCAL_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** A local VM name: a directory name under $TART_HOME/vms, safe as a tart argument. */
export function checkLocalName(name: string, field = "name"): string {
  if (typeof name !== "string" || name.length === 0) throw invalid(`${field}: must not be empty`);
  if (name.length > MAX_NAME_LENGTH) {
    throw invalid(`${field}: must be at most ${MAX_NAME_LENGTH} characters (got ${name.length})`);
  }
  if (!LOCAL_NAME.test(name)) {
    throw invalid(
      `${field}: ${JSON.stringify(truncate(name))} is not a valid VM name: use letters, digits, '.', '_' and '-', ` +
        "starting with a letter, digit or '_'",
    );
  }
  return name;
}

// The OCI distribution grammar (distribution/reference), restricted the way tart parses it:
// a registry host is required (tart refuses a reference without one), the repository is lowercase.
const HOST_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const TAG = "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}";
const DIGEST = "sha256:[a-f0-9]{64}";
const REFERENCE = new RegExp(
  `^(${DOMAIN})/(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
export const MAX_REFERENCE_LENGTH = 255 + 1 + 128 + 72;

export interface OciReference {
  host: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

export function parseOciReference(ref: string): OciReference | null {
  if (typeof ref !== "string" || ref.length > MAX_REFERENCE_LENGTH) return null;
  const match = REFERENCE.exec(ref);
  if (!match) return null;
  const [, host, repository, tag, digest] = match;
  // "localhost/x" and "a.b/x" are hosts; "library/x" without a dot or port is not a registry.
  if (!host!.includes(".") && !host!.includes(":") && host !== "localhost" && !host!.startsWith("[")) {
    return null;
  }
  if (repository!.length > 255) return null;
  return { host: host!, repository: repository!, tag: tag ?? null, digest: digest ?? null };
}

export function checkOciReference(ref: string, field = "oci_url"): string {
  if (typeof ref !== "string" || ref.length === 0) throw invalid(`${field}: must not be empty`);
  if (!parseOciReference(ref)) {
    throw invalid(
      `${field}: ${JSON.stringify(truncate(ref))} is not a valid OCI reference: expected ` +
        "registry/repository[:tag][@sha256:digest] with a lowercase repository and a tag of at most 128 characters, " +
        "e.g. ghcr.io/cirruslabs/macos-sequoia-base:latest",
    );
  }
  return ref;
}

/** A repository without tag or digest, `host[:port]/path`, e.g. `ghcr.io/acme/macos-builder`. */
export interface RepositoryName {
  host: string;
  repository: string;
}

/**
 * A repository as the catalogue settings take it: the OCI grammar's host and path, with no tag or
 * digest (a repository holds every tag). Null when it is not one.
 */
export function parseRepositoryName(text: string): RepositoryName | null {
  const ref = parseOciReference(text);
  if (!ref || ref.tag !== null || ref.digest !== null) return null;
  return { host: ref.host, repository: ref.repository };
}

export function checkRepositoryName(text: string, field = "repository"): RepositoryName {
  if (typeof text !== "string" || text.length === 0) throw invalid(`${field}: must not be empty`);
  const parsed = parseRepositoryName(text);
  if (parsed) return parsed;
  const ref = parseOciReference(text);
  if (ref) {
    throw invalid(`${field}: ${JSON.stringify(truncate(text))} names a ${ref.digest ? "digest" : "tag"}; give the repository alone, e.g. ${ref.host}/${ref.repository}`);
  }
  throw invalid(
    `${field}: ${JSON.stringify(truncate(text))} is not a repository: expected registry-host[:port]/path with a lowercase path ` +
      "and no tag, e.g. ghcr.io/cirruslabs/macos-sequoia-base",
  );
}

const REGISTRY_HOST = new RegExp(`^${DOMAIN}$`);
export const MAX_HOST_LENGTH = 255;

/**
 * A registry host as `tart login` and `tart logout` take it: the host part of an OCI reference
 * (`ghcr.io`, `registry.example.com:5000`, `localhost:5000`, `[::1]:5000`), with a dot, a port
 * or `localhost`, since a bare word is no registry in a reference either. No scheme, no path.
 */
export function parseRegistryHost(text: string): string | null {
  if (typeof text !== "string" || text.length === 0 || text.length > MAX_HOST_LENGTH || !REGISTRY_HOST.test(text)) return null;
  if (!text.includes(".") && !text.includes(":") && text !== "localhost" && !text.startsWith("[")) return null;
  return text;
}

export function checkRegistryHost(text: string, field = "host"): string {
  if (typeof text !== "string" || text.length === 0) throw invalid(`${field}: must not be empty`);
  if (parseRegistryHost(text)) return text;
  const hint = /^[a-z]+:\/\//i.test(text) ? " without a scheme" : /\//.test(text) ? " without a path" : "";
  throw invalid(
    `${field}: ${JSON.stringify(truncate(text))} is not a registry host: expected a host name${hint}, with a port if it has one, ` +
      "e.g. ghcr.io or registry.example.com:5000",
  );
}

/** A name as it may appear in the inventory: a local VM name or an OCI reference. */
export function checkAnyVmName(name: string, field = "vm_name"): string {
  if (typeof name === "string" && name.includes("/")) return checkOciReference(name, field);
  return checkLocalName(name, field);
}

/**
 * The key that identifies a VM: VMs are directories on a case-insensitive APFS volume, so "Dev"
 * and "dev" are one VM.
 */
export const vmKey = (name: string) => name.toLowerCase();

export const isOciName = (name: string) => name.includes("/");

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
