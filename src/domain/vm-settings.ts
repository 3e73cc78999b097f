/**
 * Editing a VM after it was made (`POST /api/vms/{name}/settings` → one `tart set`): which
 * changes are refused before tart runs, and the `tart set` they become. tart checks little here
 * (spec §4.9): it saves config.json even while the VM runs and only fails on a disk that would
 * shrink, after it has saved the rest. So the server refuses what cannot work or would do harm:
 * - a disk that does not grow (422, naming the current size), more cores or memory than the host
 *   has (422, as create), a serial number for a Linux guest (422: tart sets it on macOS only);
 * - while the VM runs, the disk (tart would resize the image under the running guest), the MAC
 *   (the running guest keeps its old one, and `tart ip` looks the VM up by the new one, so its
 *   address is lost) and the serial number (the guest's identity) (409); CPU, memory and display
 *   are read when `tart run` starts, so they may change while it runs and apply at the next start;
 * - while the VM is suspended, everything (409): a saved state resumes only on the hardware it
 *   was saved on.
 */
import { checkGuestMinimum, checkHostFits, type HostSize } from "./create-fit.ts";
import { conflict, invalid } from "./errors.ts";
import type { TartSettings } from "./ports.ts";
import { gbToMiB } from "./units.ts";
import type { Vm } from "./vm.ts";

/** The body of POST /api/vms/{name}/settings (the HTTP schema checks types and bounds). */
export interface SettingsRequest {
  cpu?: number | null;
  /** GB, as create. */
  memory?: number | null;
  /** `WxH`, optionally ending in `px` or `pt`. */
  display?: string | null;
  /** GB; only larger than the current disk. */
  disk_size?: number | null;
  random_mac?: boolean | null;
  random_serial?: boolean | null;
}

/**
 * tart's `--display` (WIDTHxHEIGHT, optionally `px` or `pt`, tart 2.30+). tart itself never
 * refuses one (a bad part becomes 0 and is ignored), so the server and the UI check it.
 */
export const DISPLAY_PATTERN = "^[1-9][0-9]{0,4}x[1-9][0-9]{0,4}(px|pt)?$";

const FIELDS = ["cpu", "memory", "display", "disk_size", "random_mac", "random_serial"] as const;
/** What tart needs the VM stopped for. */
const NEED_STOPPED = ["disk_size", "random_mac", "random_serial"] as const;

/** The fields a request asks to change (a false flag asks nothing). */
export function requestedSettings(request: SettingsRequest): string[] {
  return FIELDS.filter((field) => request[field] != null && request[field] !== false);
}

/**
 * Throws the 422 or 409 that refuses `request` for `vm`, or returns the `tart set` settings.
 * `vm` is the VM as the inventory shows it (state, OS, disk).
 */
export function planSettings(request: SettingsRequest, vm: Vm, host: HostSize): TartSettings {
  const asked = requestedSettings(request);
  if (asked.length === 0) throw invalid(`body: give at least one of ${FIELDS.join(", ")} to change`);
  if (vm.state === "suspended") {
    throw conflict(
      `${vm.name} is suspended: a saved state resumes only on the hardware it was saved on, so resume it and stop it ` +
        "(or stop it, which discards the saved state) before changing its settings",
    );
  }
  const blocked = NEED_STOPPED.filter((field) => asked.includes(field));
  if (vm.state === "running" && blocked.length) {
    throw conflict(
      `${vm.name} is running: stop it before changing ${blocked.join(" or ")}; cpu, memory and display can be changed ` +
        "while it runs and apply at its next start",
    );
  }
  checkHostFits(request, host);
  checkGuestMinimum(request, vm.os);
  const currentDisk = typeof vm.disk_size === "number" ? vm.disk_size : null;
  if (request.disk_size != null && currentDisk !== null && request.disk_size <= currentDisk) {
    throw invalid(`disk_size: ${vm.name}'s disk is ${currentDisk} GB and tart can only grow a disk: give more than ${currentDisk}`);
  }
  if (request.random_serial && vm.os === "linux") {
    throw invalid(`random_serial: only macOS VMs have a serial number, and ${vm.name} is a Linux VM`);
  }
  return {
    ...(request.cpu != null ? { cpu: request.cpu } : {}),
    ...(request.memory != null ? { memoryMiB: gbToMiB(request.memory) } : {}),
    ...(request.display != null ? { display: request.display } : {}),
    ...(request.random_mac ? { randomMac: true } : {}),
    ...(request.random_serial ? { randomSerial: true } : {}),
    ...(request.disk_size != null ? { diskSizeGB: request.disk_size } : {}),
  };
}

/** The completed task's words: what changed, and when a running VM sees it. */
export function describeSettings(name: string, request: SettingsRequest, running: boolean): string {
  const parts = [
    request.cpu != null ? `${request.cpu} cores` : null,
    request.memory != null ? `${request.memory} GB of memory` : null,
    request.display != null ? `display ${request.display}` : null,
    request.disk_size != null ? `a ${request.disk_size} GB disk` : null,
    request.random_mac ? "a new MAC address" : null,
    request.random_serial ? "a new serial number" : null,
  ].filter(Boolean);
  return `${name} now has ${parts.join(", ")}${running ? "; the running VM gets them at its next start" : ""}`;
}
