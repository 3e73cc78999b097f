/**
 * How the CLI reaches the running server: the data dir (`--data-dir`, `TARTVM_DATA_DIR`, else
 * ~/.tartvm-manager, as the server decides it) holds the token and `server.json`, the address
 * the server wrote once it was listening (storage/server-address.ts). `--url` / `TARTVM_URL`
 * overrides the address. Every answer that is not 2xx becomes an ApiError with the server's
 * `detail`; a refused connection or an address file left behind by a dead server is
 * ServerNotRunning (exit 3).
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { layoutOf } from "../storage/data-dir.ts";
import { readServerAddress } from "../storage/server-address.ts";
import { SecretFile } from "../storage/secret-file.ts";
import { ApiError, ServerNotRunning } from "./exit-codes.ts";
import { processAlive } from "../adapters/host/process-alive.ts";

const START_HINT = "start it with `taartenfabriek` (or `taartenfabriek service install` to have it start at login)";

export function dataDirOf(flag: string | undefined, env: Record<string, string | undefined>): string {
  return resolve(flag ?? (env.TARTVM_DATA_DIR || join(homedir(), ".tartvm-manager")));
}

export class ServerConnection {
  constructor(
    /** The server's base URL, ending in `/`. */
    readonly url: string,
    private readonly token: string,
  ) {}

  /** Finds the server of a data dir; throws ServerNotRunning when there is none to talk to. */
  static locate(dataDir: string, urlOverride: string | undefined): ServerConnection {
    const layout = layoutOf(dataDir);
    const token = new SecretFile(layout.tokenFile).read();
    if (!token) throw new ServerNotRunning(`no server has run with the data dir ${dataDir} (it has no token); ${START_HINT}`);
    if (urlOverride) return new ServerConnection(urlOverride.endsWith("/") ? urlOverride : `${urlOverride}/`, token);
    const address = readServerAddress(layout.serverAddress);
    if (!address) throw new ServerNotRunning(`the server is not running (no ${layout.serverAddress}); ${START_HINT}`);
    if (!processAlive(address.pid)) throw new ServerNotRunning(`the server is not running (pid ${address.pid} in ${layout.serverAddress} is gone); ${START_HINT}`);
    return new ServerConnection(address.url, token);
  }

  async json<T = unknown>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    return (await response.json()) as T;
  }

  async text(path: string): Promise<string> {
    return (await this.send("GET", path)).text();
  }

  /** A websocket URL for `path`, with the token in the query (websockets take no headers). */
  socketUrl(path: string, query = ""): string {
    const url = new URL(path.replace(/^\//, ""), this.url);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.search = `?token=${encodeURIComponent(this.token)}${query}`;
    return url.toString();
  }

  /** The dashboard's URL with the token in its fragment (which never reaches a server log). */
  dashboardUrl(): string {
    return `${this.url}#token=${encodeURIComponent(this.token)}`;
  }

  private async send(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path.replace(/^\//, ""), this.url), {
        method,
        headers: { "x-local-token": this.token, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
        ...(method === "POST" ? { body: JSON.stringify(body ?? {}) } : {}),
      });
    } catch (error) {
      throw new ServerNotRunning(`the server at ${this.url} does not answer (${(error as Error).message}); ${START_HINT}`);
    }
    if (response.ok) return response;
    throw new ApiError(response.status, await detailOf(response));
  }
}

async function detailOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    if (typeof detail === "string") return detail;
    if (detail !== undefined) return JSON.stringify(detail);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim() || `HTTP ${response.status}`;
}

/** A VM name or OCI reference as one path segment (the API accepts references encoded). */
export const vmPath = (name: string, action = "") => `/api/vms/${encodeURIComponent(name)}${action ? `/${action}` : ""}`;
