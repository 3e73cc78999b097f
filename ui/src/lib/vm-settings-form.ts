/**
 * The VM settings form (CPU, memory, display, disk, new MAC, new serial): its values prefilled
 * from `GET …/config`, the checks run as the user types (the server's bounds, the host's size,
 * tart's macOS minimum, a disk that can only grow, the display grammar) and the request it
 * becomes — only what changed, so an untouched field is never rewritten by `tart set`. While the
 * VM runs, the disk, MAC and serial are not offered (the server refuses them then).
 */
import type { VmConfig, VmSettingsRequest } from "../api/types.ts";
import { DISPLAY_PATTERN } from "../../../src/domain/vm-settings.ts";
import { gigabytes } from "./vm-actions.ts";
import { belowMacosMinimum, cpuBeyondHost, memoryBeyondHost, minimumDiskGb, parseWholeNumber, validateCpu, validateDisk, validateMemory, type FormErrors, type HostLimits } from "./validate.ts";

export interface SettingsForm {
  cpu: string;
  memory: string;
  display: string;
  disk: string;
  randomMac: boolean;
  randomSerial: boolean;
}

export interface SettingsContext {
  host?: HostLimits | null;
  /** "darwin" or "linux", when known. */
  os?: string | null;
  running: boolean;
}

const DISPLAY = new RegExp(DISPLAY_PATTERN);

/** The form as the VM is now. */
export function settingsFormOf(config: Pick<VmConfig, "cpu" | "memory" | "disk_size" | "display" | "raw">): SettingsForm {
  const display = config.display ?? (typeof config.raw?.Display === "string" ? config.raw.Display : "");
  return {
    cpu: config.cpu != null ? String(config.cpu) : "",
    memory: String(gigabytes(config.memory) ?? ""),
    display,
    disk: String(minimumDiskGb(config.disk_size) ?? ""),
    randomMac: false,
    randomSerial: false,
  };
}

export function validateDisplay(text: string): string | null {
  if (DISPLAY.test(text.trim())) return null;
  return "Enter WIDTHxHEIGHT such as 1920x1080, optionally ending in px or pt.";
}

/** Per field, what is wrong; fields left as they were are not judged (they are not sent). */
export function validateSettingsForm(form: SettingsForm, initial: SettingsForm, context: SettingsContext): FormErrors<SettingsForm> {
  const errors: FormErrors<SettingsForm> = {};
  const macos = context.os === "darwin";
  const host = context.host;
  if (form.cpu !== initial.cpu) {
    const cpu = validateCpu(form.cpu) ?? cpuBeyondHost(form.cpu, host) ?? (macos ? belowMacosMinimum(form.cpu, "cpu") : null);
    if (cpu) errors.cpu = cpu;
  }
  if (form.memory !== initial.memory) {
    const memory = validateMemory(form.memory) ?? memoryBeyondHost(form.memory, host) ?? (macos ? belowMacosMinimum(form.memory, "memory") : null);
    if (memory) errors.memory = memory;
  }
  if (form.display !== initial.display) {
    const display = validateDisplay(form.display);
    if (display) errors.display = display;
  }
  if (form.disk !== initial.disk) {
    const current = parseWholeNumber(initial.disk);
    const n = parseWholeNumber(form.disk);
    const disk =
      validateDisk(form.disk) ??
      (n !== null && current !== null && n <= current ? `tart can only grow a disk: enter more than ${current} (or leave it at ${current}).` : null) ??
      (context.running ? "Stop the VM to grow its disk." : null);
    if (disk) errors.disk = disk;
  }
  return errors;
}

/** The request for what changed; null when nothing did. */
export function settingsRequest(form: SettingsForm, initial: SettingsForm): VmSettingsRequest | null {
  const request: VmSettingsRequest = {};
  if (form.cpu !== initial.cpu) request.cpu = parseWholeNumber(form.cpu) ?? 0;
  if (form.memory !== initial.memory) request.memory = parseWholeNumber(form.memory) ?? 0;
  if (form.display.trim() !== initial.display) request.display = form.display.trim();
  if (form.disk !== initial.disk) request.disk_size = parseWholeNumber(form.disk) ?? 0;
  if (form.randomMac) request.random_mac = true;
  if (form.randomSerial) request.random_serial = true;
  return Object.keys(request).length ? request : null;
}

/**
 * Which settings field a server refusal is about (its detail starts with the body field:
 * `disk_size: …`), so the message can sit next to that field.
 */
export function settingsFieldOfDetail(detail: string): keyof SettingsForm | null {
  const m = /^(cpu|memory|display|disk_size|random_mac|random_serial):/.exec(detail.trim());
  if (!m) return null;
  const map: Record<string, keyof SettingsForm> = {
    cpu: "cpu",
    memory: "memory",
    display: "display",
    disk_size: "disk",
    random_mac: "randomMac",
    random_serial: "randomSerial",
  };
  return map[m[1]!] ?? null;
}
