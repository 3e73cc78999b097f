/**
 * Creating a VM from scratch rather than from an image (POST /api/vms/create with `from_ipsw` or
 * `linux` instead of `source_vm`): `tart create NAME --from-ipsw latest|URL|PATH` installs macOS
 * (a download and an install of many minutes, with progress: install-progress.ts), `tart create
 * NAME --linux` makes an empty Linux VM (4 cores, 4 GB, silent and fast), each with `--disk-size`
 * (GB, tart's default 50) and `--disk-format raw|asif`; cores and memory then go through `tart
 * set`, as a create from an image does. What tart would refuse is refused here first, with tart's
 * own rule: exactly one of the two sources ("Please specify either a --from-ipsw or --linux
 * option!"), `--disk-format` only from tart 2.28.0, ASIF only on macOS 26 hosts ("Disk format
 * 'asif' is not supported on this system."), a macOS guest with at least 4 cores and 4 GB.
 */
import { checkGuestMinimum, checkHostFits, type HostSize } from "./create-fit.ts";
import { invalid } from "./errors.ts";
import type { CreateOptions, TartSettings } from "./ports.ts";
import { olderThan } from "./run-options.ts";
import { gbToMiB } from "./units.ts";

export interface ScratchRequest {
  name: string;
  /** `latest`, an https URL of an .ipsw, or the absolute path of one on this host. */
  from_ipsw?: string | null;
  linux?: boolean | null;
  /** GB (tart's default: 50). */
  disk_size?: number | null;
  disk_format?: "raw" | "asif" | null;
  cpu?: number | null;
  /** GB, as a create from an image. */
  memory?: number | null;
}

export interface ScratchFacts {
  host: HostSize;
  tartVersion: string | null;
  hostOs: { name: string; version: string | null } | null;
  isFile(path: string): boolean;
}

export interface ScratchPlan {
  os: "darwin" | "linux";
  create: CreateOptions;
  /** What `tart set` changes afterwards (none: nothing to run). */
  settings: TartSettings;
}

/** A create body is from scratch when it names no source VM and asks for an IPSW or Linux. */
export function isScratchRequest(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  return !("source_vm" in body) && ("from_ipsw" in body || "linux" in body);
}

const DISK_FORMAT_SINCE = "2.28.0";
const ASIF_HOST_MACOS = 26;
const MAX_URL_LENGTH = 2048;

export function planScratch(request: ScratchRequest, facts: ScratchFacts): ScratchPlan {
  const ipsw = request.from_ipsw ?? null;
  const linux = request.linux === true;
  if ((ipsw === null) === !linux) {
    throw invalid(
      ipsw === null
        ? "from_ipsw or linux: give one (tart: Please specify either a --from-ipsw or --linux option!)"
        : "from_ipsw and linux: give only one of them; from_ipsw makes a macOS VM, linux a Linux VM",
    );
  }
  if (ipsw !== null) checkIpsw(ipsw, facts);
  const os = linux ? "linux" : "darwin";
  checkGuestMinimum(request, os);
  checkHostFits(request, facts.host);
  const format = request.disk_format ?? null;
  if (format !== null && facts.tartVersion && olderThan(facts.tartVersion, DISK_FORMAT_SINCE)) {
    throw invalid(`disk_format: tart ${facts.tartVersion} has no --disk-format (it came with tart ${DISK_FORMAT_SINCE}); leave it out for a raw disk`);
  }
  const host = facts.hostOs;
  if (format === "asif" && host?.name === "macOS" && host.version !== null && Number.parseInt(host.version, 10) < ASIF_HOST_MACOS) {
    throw invalid(`disk_format: ASIF disks need a macOS ${ASIF_HOST_MACOS} (Tahoe) host, and this one is macOS ${host.version} (tart: Disk format 'asif' is not supported on this system.)`);
  }
  return {
    os,
    create: {
      ...(ipsw !== null ? { fromIpsw: ipsw } : { linux: true }),
      ...(request.disk_size != null ? { diskSizeGB: request.disk_size } : {}),
      ...(format !== null ? { diskFormat: format } : {}),
    },
    settings: {
      ...(request.cpu != null ? { cpu: request.cpu } : {}),
      ...(request.memory != null ? { memoryMiB: gbToMiB(request.memory) } : {}),
    },
  };
}

/** `latest`, an http(s) URL (tart downloads it), or an absolute path of a file on this host. */
function checkIpsw(ipsw: string, facts: ScratchFacts): void {
  if (ipsw === "latest") return;
  if (/^https?:\/\//.test(ipsw)) {
    let ok = ipsw.length <= MAX_URL_LENGTH && !/\s/.test(ipsw);
    try {
      new URL(ipsw);
    } catch {
      ok = false;
    }
    if (!ok) throw invalid(`from_ipsw: "${ipsw.slice(0, 80)}" is not a valid URL`);
    return;
  }
  if (!ipsw.startsWith("/")) throw invalid('from_ipsw: give "latest", an https URL of an .ipsw file, or the absolute path of one on this host');
  if (!facts.isFile(ipsw)) throw invalid(`from_ipsw: ${ipsw} is not a file on this host`);
}
