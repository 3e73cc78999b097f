/**
 * `<data-dir>/server.json`: where the running server listens, written once its port is bound
 * and removed when it stops. It is how the CLI (src/cli/) finds a server started with `--port 0`
 * or a port other than 8000 without being told; the pid lets a reader tell a file left behind
 * by a server that was killed from one that is alive, and lets a stopping server leave alone a
 * file that a newer server on the same data dir has written since.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { writeFileAtomic } from "./atomic-write.ts";

export interface ServerAddress {
  /** A URL the server answers on from this machine, ending in `/`. */
  url: string;
  pid: number;
  version: string;
}

const WILDCARD_V4 = new Set(["0.0.0.0"]);
const WILDCARD_V6 = new Set(["::", "[::]"]);

/** The URL a local client should use for a server listening on `host:port`. */
export function localUrl(host: string, port: number): string {
  if (WILDCARD_V4.has(host)) return `http://127.0.0.1:${port}/`;
  if (WILDCARD_V6.has(host)) return `http://[::1]:${port}/`;
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `http://${bracketed}:${port}/`;
}

export function writeServerAddress(file: string, address: ServerAddress): void {
  writeFileAtomic(file, JSON.stringify(address) + "\n", 0o600);
}

/** The address, or null when there is no file or it is not one (a damaged file names no server). */
export function readServerAddress(file: string): ServerAddress | null {
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<ServerAddress>;
    if (typeof value.url !== "string" || !/^http:\/\//.test(value.url) || typeof value.pid !== "number") return null;
    return { url: value.url, pid: value.pid, version: String(value.version ?? "") };
  } catch {
    return null;
  }
}

/** Removes the file if it is still this process's (a newer server may have replaced it). */
export function removeServerAddress(file: string, pid = process.pid): void {
  if (readServerAddress(file)?.pid === pid) rmSync(file, { force: true });
}
