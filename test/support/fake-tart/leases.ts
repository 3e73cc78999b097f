// A stand-in for macOS's /var/db/dhcpd_leases, kept at $TART_HOME/dhcpd_leases in the same
// text format (bootpd strips leading zeros from MAC octets; the resolver normalises them).
// `tart run` writes a lease once the fake guest "boots"; `tart ip` reads the freshest
// unexpired lease for the VM's MAC. Leases last 24 h, so a stopped VM that ran recently
// still has an IP, as spec §4.3 says. Addresses come from 192.168.64.2 upward
// (or the `lease_subnet` knob's /24: vmnet's Shared_Net_Address is configurable).
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const LEASE_SECONDS = 86400;

export interface Lease {
  name: string;
  ip: string;
  mac: string;
  /** Expiry, Unix seconds (bootpd's `lease=0x…`). */
  lease: number;
}

const file = (home: string) => join(home, "dhcpd_leases");

export const normalizeMAC = (mac: string) =>
  mac
    .toLowerCase()
    .split(":")
    .map((o) => o.padStart(2, "0"))
    .join(":");

const stripMAC = (mac: string) =>
  normalizeMAC(mac)
    .split(":")
    .map((o) => o.replace(/^0(?=.)/, ""))
    .join(":");

export function readLeases(home: string): Lease[] {
  let text: string;
  try {
    text = readFileSync(file(home), "utf8");
  } catch {
    return [];
  }
  const leases: Lease[] = [];
  for (const block of text.split("}")) {
    const kv: Record<string, string> = {};
    for (const line of block.split("\n")) {
      const m = /^\s*(\w+)=(.*)$/.exec(line);
      if (m) kv[m[1]!] = m[2]!;
    }
    if (!kv.ip_address || !kv.hw_address) continue;
    leases.push({
      name: kv.name ?? "",
      ip: kv.ip_address,
      mac: normalizeMAC(kv.hw_address.replace(/^1,/, "")),
      lease: parseInt(kv.lease ?? "0", 16),
    });
  }
  return leases;
}

export function formatLeases(leases: Lease[]): string {
  return leases
    .map((l) => {
      const hw = `1,${stripMAC(l.mac)}`;
      return `{\n\tname=${l.name}\n\tip_address=${l.ip}\n\thw_address=${hw}\n\tidentifier=${hw}\n\tlease=0x${l.lease.toString(16)}\n}\n`;
    })
    .join("");
}

/** The DHCP resolver: the freshest unexpired lease for this MAC. */
export function ipForMAC(home: string, mac: string, nowS = Date.now() / 1000): string | null {
  const want = normalizeMAC(mac);
  const hits = readLeases(home).filter((l) => l.mac === want && l.lease > nowS);
  hits.sort((a, b) => b.lease - a.lease);
  return hits[0]?.ip ?? null;
}

function withLock<T>(home: string, fn: () => T): T {
  const lock = join(home, "dhcpd_leases.lock");
  const deadline = Date.now() + 3000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A holder that died mid-update leaves the lock behind; it is stale after 2 s.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 2000 || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Released between our mkdir and stat: just retry.
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** bootpd handing out (or renewing) a lease; returns the address. */
export function grantLease(home: string, mac: string, name: string, subnet = "192.168.64"): string | null {
  return withLock(home, () => {
    const now = Math.floor(Date.now() / 1000);
    const want = normalizeMAC(mac);
    const leases = readLeases(home).filter((l) => l.lease > now || l.mac === want);
    let mine = leases.find((l) => l.mac === want);
    if (!mine) {
      const taken = new Set(leases.map((l) => l.ip));
      for (let n = 2; n <= 254 && !mine; n++) {
        const ip = `${subnet}.${n}`;
        if (!taken.has(ip)) mine = { name, ip, mac: want, lease: 0 };
      }
      if (!mine) return null; // the /24 is full: the guest never gets an address
      leases.push(mine);
    }
    mine.lease = now + LEASE_SECONDS;
    mine.name = name;
    const tmp = `${file(home)}.${process.pid}`;
    writeFileSync(tmp, formatLeases(leases));
    renameSync(tmp, file(home));
    return mine.ip;
  });
}
