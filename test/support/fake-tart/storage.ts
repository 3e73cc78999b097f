// TART_HOME and local VM directories, laid out as real tart lays them out (spec §2):
// vms/<name>/{config.json,disk.img,nvram.bin}. Sizes come from the file system, as in
// VMDirectory.swift: `Disk` is logical bytes, `Size` is allocated blocks, so a sparse
// disk.img of 50 GB shows Disk 50 and Size 0.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { TartRuntimeError, vmDoesNotExist } from "./errors.ts";
import { swiftJSON, type JsonValue } from "./swift-json.ts";

export const VM_FILES = ["config.json", "disk.img", "nvram.bin"] as const;

export interface VMConfig {
  version: number;
  os: "darwin" | "linux";
  arch: string;
  cpuCountMin: number;
  cpuCount: number;
  memorySizeMin: number;
  memorySize: number;
  macAddress: string;
  display: { width: number; height: number; unit?: "pt" | "px" };
  displayRefit?: boolean;
  diskFormat: "raw" | "asif";
  ecid?: string;
  hardwareModel?: string;
  [k: string]: JsonValue | undefined;
}

export function tartHome(env = process.env): string {
  const home = env.TART_HOME || join(homedir(), ".tart");
  try {
    mkdirSync(home, { recursive: true });
  } catch (e) {
    throw new TartRuntimeError(
      `TART_HOME is invalid: ${home} does not exist, yet we can't create it: ${(e as Error).message}`,
    );
  }
  return home;
}

export const vmsDir = (home: string) => join(home, "vms");
export const vmPath = (home: string, name: string) => join(home, "vms", name);

export function isVMDir(dir: string): boolean {
  return VM_FILES.every((f) => existsSync(join(dir, f)));
}

/** VMStorageLocal.open(): the VM must exist; touching it updates `Accessed` (atime, whole seconds). */
export function openLocal(home: string, name: string): string {
  const dir = vmPath(home, name);
  if (name === "" || name.includes("/") || !isVMDir(dir)) throw vmDoesNotExist(name);
  touchAccessed(dir);
  return dir;
}

export function touchAccessed(dir: string): void {
  try {
    const st = statSync(dir);
    utimesSync(dir, Math.floor(Date.now() / 1000), st.mtime);
  } catch {
    // Access dates are cosmetic; a race with delete must not fail the command.
  }
}

export function readConfig(dir: string): VMConfig {
  return JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as VMConfig;
}

export function writeConfig(dir: string, config: VMConfig): void {
  // Atomic so that a concurrent `list`/`get` never reads half a file.
  const tmp = join(dir, `.config.json.${process.pid}`);
  writeFileSync(tmp, swiftJSON(config as unknown as JsonValue));
  renameSync(tmp, join(dir, "config.json"));
}

/** sizeGB(): logical bytes of config + disk + nvram / 1e9, floored. */
export function logicalBytes(dir: string): number {
  let total = 0;
  for (const f of VM_FILES) total += statSync(join(dir, f)).size;
  return total;
}

export function allocatedBytes(dir: string): number {
  let total = 0;
  for (const f of VM_FILES) total += statSync(join(dir, f)).blocks * 512;
  return total;
}

export function diskBytes(dir: string): number {
  return statSync(join(dir, "disk.img")).size;
}

export const isSuspended = (dir: string) => existsSync(join(dir, "state.vzvmsave"));

export function randomMAC(): string {
  // A locally administered unicast address, as VZMACAddress.randomLocallyAdministered() makes.
  const b = crypto.getRandomValues(new Uint8Array(6));
  b[0] = (b[0]! & 0xfc) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join(":");
}

export function displayText(d: VMConfig["display"]): string {
  return `${d.width}x${d.height}${d.unit ?? ""}`;
}

export function newConfig(os: "darwin" | "linux", cpu: number, memMiB: number, mac = randomMAC()): VMConfig {
  const config: VMConfig = {
    version: 1,
    os,
    arch: "arm64",
    cpuCountMin: 4,
    cpuCount: cpu,
    memorySizeMin: 4 * 1024 * 1024 * 1024,
    memorySize: memMiB * 1024 * 1024,
    macAddress: mac,
    display: { width: 1024, height: 768 },
    diskFormat: "raw",
  };
  if (os === "darwin") {
    config.ecid = "YnBsaXN0MDDRAQJURUNJRBMAAXN/8fLbawgLEAAAAAAAAAEBAAAAAAAAAAMAAAAAAAAAAAAAAAAAAAAZ";
    config.hardwareModel = "YnBsaXN0MDDTAQIDBAUGXxAZRGF0YVJlcHJlc2VudGF0aW9uVmVyc2lvbl8QD1BsYXRmb3JtVmVyc2lvbl8QEk1pbmltdW1TdXBwb3J0ZWRPUxQAAAAAAAAAAAAAAAAAAAABEAKjBwgJEA0QAAgPKz1SY2VnAAAAAAAAAQEAAAAAAAAACgAAAAAAAAAAAAAAAAAAAGk=";
  }
  return config;
}
