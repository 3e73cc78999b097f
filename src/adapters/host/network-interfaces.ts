/**
 * The host interfaces a bridged network (`tart run --net-bridged IF`) may use, offered in the Run
 * options dialog and checked before a start. tart matches IF against Virtualization.framework's
 * bridgeable interfaces by BSD name (`en0`) or display name (`Wi-Fi`); tart has no command that
 * lists them (only the error of a run with an unknown one does, and that needs a VM), so they are
 * read from the OS: on macOS from `networksetup -listallhardwareports` (the hardware ports with
 * both names), elsewhere — Linux, where the tests run — from /sys/class/net, falling back to
 * Node's list. Loopback never bridges. Read at most every few seconds (a dock or VPN may come).
 */
import { existsSync, readdirSync } from "node:fs";
import { networkInterfaces, platform } from "node:os";

const NETWORKSETUP = "/usr/sbin/networksetup";
const TIMEOUT_MS = 5_000;
const FRESH_MS = 10_000;

/** `networksetup -listallhardwareports` → each port's device and name (`en0`, `Wi-Fi`). */
export function parseHardwarePorts(text: string): string[] {
  const names: string[] = [];
  let port: string | null = null;
  for (const line of text.split("\n")) {
    const portMatch = /^Hardware Port: (.+)$/.exec(line.trim());
    if (portMatch) port = portMatch[1]!.trim();
    const device = /^Device: (\S+)$/.exec(line.trim());
    if (device && !device[1]!.startsWith("lo")) {
      names.push(device[1]!);
      if (port) names.push(port);
      port = null;
    }
  }
  return [...new Set(names)];
}

/** Linux: the entries of /sys/class/net (each an interface, up or not), less loopback. */
function linuxInterfaces(): string[] | null {
  const dir = "/sys/class/net";
  if (!existsSync(dir)) return null;
  try {
    return readdirSync(dir).filter((name) => name !== "lo").sort();
  } catch {
    return null;
  }
}

function nodeInterfaces(): string[] {
  return Object.entries(networkInterfaces())
    .filter(([, addresses]) => !(addresses ?? []).every((address) => address.internal))
    .map(([name]) => name)
    .sort();
}

async function macInterfaces(): Promise<string[] | null> {
  try {
    const proc = Bun.spawn([NETWORKSETUP, "-listallhardwareports"], { stdin: "ignore", stdout: "pipe", stderr: "ignore", timeout: TIMEOUT_MS });
    const [text, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    return code === 0 ? parseHardwarePorts(text) : null;
  } catch {
    return null;
  }
}

export class HostInterfaces {
  private cached: { at: number; names: string[] | null } | null = null;

  async list(): Promise<string[] | null> {
    if (this.cached && performance.now() - this.cached.at < FRESH_MS) return this.cached.names;
    const names = platform() === "darwin" ? ((await macInterfaces()) ?? nodeInterfaces()) : (linuxInterfaces() ?? nodeInterfaces());
    this.cached = { at: performance.now(), names };
    return names;
  }
}
