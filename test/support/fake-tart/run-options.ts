// The checks `tart run` makes of its sharing, network and disk options while it builds the VM
// (Run.swift run(), after validate(): spec §1.1 "a ValidationError thrown from run()" is reported
// with the root usage). Each throws what tart throws, with tart's text:
//  - `--dir [name:]path[:ro,tag=T]`: several shares on one mount tag must all be named;
//  - `--net-bridged IF`: IF must be one of the host's bridgeable interfaces (by BSD or display name);
//  - `--root-disk-opts ro,sync=…,caching=…`: an unknown sync or caching mode is a RuntimeError
//    (unknown option words are ignored, as DiskOptions ignores them).
import { existsSync, readdirSync } from "node:fs";
import type { Ctx } from "./context.ts";
import { TartRuntimeError, UsageError } from "./errors.ts";

const AUTOMOUNT_TAG = "com.apple.virtio-fs.automount";

interface DirectoryShare {
  name: string | null;
  path: string;
  readOnly: boolean;
  tag: string;
}

/** DirectoryShare(parseFrom:): options from the last `:` part when it holds `ro` or `tag=`. */
export function parseDirectoryShare(text: string): DirectoryShare {
  const parts = text.split(":").filter((part) => part !== "");
  let readOnly = false;
  let tag = AUTOMOUNT_TAG;
  let found = false;
  for (const option of (parts.at(-1) ?? "").split(",")) {
    if (option === "ro") {
      readOnly = true;
      found = true;
    } else if (option.startsWith("tag=")) {
      tag = option.slice(4);
      found = true;
    }
  }
  if (found) parts.pop();
  const rest = parts.join(":");
  if (rest.startsWith("http:") || rest.startsWith("https:")) return { name: null, path: rest, readOnly, tag };
  const colon = rest.indexOf(":");
  return colon >= 0 ? { name: rest.slice(0, colon), path: rest.slice(colon + 1), readOnly, tag } : { name: null, path: rest, readOnly, tag };
}

/** The host's bridgeable interfaces: the `bridged_interfaces` knob, else the OS's (less loopback). */
export function bridgeInterfaces(ctx: Ctx): { identifier: string; displayName?: string }[] {
  const knob = ctx.knobs.bridged_interfaces;
  if (Array.isArray(knob)) return knob;
  const dir = "/sys/class/net";
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name !== "lo")
    .sort()
    .map((identifier) => ({ identifier }));
}

/** A Swift [String]'s description: `["a", "b (or \"Wi-Fi\")"]`. */
const swiftArray = (items: string[]) => `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;

export function checkRunOptions(ctx: Ctx): void {
  const rootDisk = ctx.args.values.get("root-disk-opts")?.at(-1);
  if (rootDisk !== undefined) {
    for (const option of rootDisk.split(",")) {
      if (option.startsWith("sync=") && !["none", "fsync", "full", ""].includes(option.slice(5)))
        throw new TartRuntimeError(`unsupported disk image synchronization mode: "${option.slice(5)}"`);
      if (option.startsWith("caching=") && !["automatic", "cached", "uncached", ""].includes(option.slice(8)))
        throw new TartRuntimeError(`unsupported disk image caching mode: "${option.slice(8)}"`);
    }
  }

  const byTag = new Map<string, DirectoryShare[]>();
  for (const raw of ctx.args.values.get("dir") ?? []) {
    const share = parseDirectoryShare(raw);
    byTag.set(share.tag, [...(byTag.get(share.tag) ?? []), share]);
  }
  for (const shares of byTag.values()) {
    if (shares.length > 1 && shares.some((share) => share.name === null))
      throw new UsageError("invalid --dir syntax: for multiple directory shares each one of them should be named", "");
  }

  const bridged = ctx.args.values.get("net-bridged") ?? [];
  if (bridged.length) {
    const available = bridgeInterfaces(ctx);
    for (const name of bridged) {
      if (!available.some((i) => i.identifier === name || i.displayName === name)) {
        const described = available.map((i) => (i.displayName ? `${i.identifier} (or "${i.displayName}")` : i.identifier));
        throw new UsageError(`no bridge interfaces matched "${swiftArray(bridged)}", available interfaces: ${swiftArray(described)}`, "");
      }
    }
  }
}
