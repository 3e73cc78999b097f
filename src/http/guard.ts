/**
 * The request guard, in this order for every request:
 *  1. Host: only the server's own loopback names and port (plus names the user allowed), so a
 *     page that reaches 127.0.0.1 through DNS rebinding is refused before anything else.
 *  2. CORS and Origin: a CORS preflight is refused outright (the UI is same-origin and never needs
 *     one, and a browser's preflight carries no token, so the token check alone would answer it
 *     with a 401 that looks like an auth problem). A state-changing request or a websocket upgrade
 *     whose Origin is not exactly this server's (scheme, host and port), or that says
 *     Sec-Fetch-Site: cross-site, is refused.
 *  3. Token: every /api/* route, /metrics and the websocket need the API token (header, or
 *     `?token=` for the websocket only), compared in constant time over SHA-256 digests. The
 *     console and shell websockets (/api/vms/{name}/console/ws, …/shell/ws, and a cluster VM's
 *     /api/clusters/{cluster}/vms/{name}/console/ws and …/shell/ws) take a one-time
 *     ticket instead, which only a request with the token can get (src/console/console-tickets.ts);
 *     for them a missing Origin is refused too, as only a browser page opens them.
 *  4. Body: state-changing /api requests carry JSON (or nothing), of bounded size — form,
 *     multipart and text/plain bodies are how cross-site pages talk to local servers. Only a
 *     declared Content-Length can be checked here; json-body.ts counts the bytes of the rest.
 */
import { timingSafeEqual } from "node:crypto";
import { lstatSync } from "node:fs";
import { AppError } from "../domain/errors.ts";
import type { SecretFile } from "../storage/secret-file.ts";
import { MAX_BODY_BYTES, tooLarge } from "./json-body.ts";

/** The scheme this server speaks: it listens on plain HTTP only, so no https:// page is ours. */
const OWN_SCHEME = "http:";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const TOKEN_RECHECK_MS = 1000;
/** The websockets that a one-time ticket opens (the ticket is checked by their route). */
const TICKET_SOCKET = /^\/api\/(?:vms\/[^/]+\/(?:console|shell)|clusters\/[^/]+\/vms\/[^/]+\/(?:console|shell))\/ws$/;
/** Outside /api, the paths that need the token as /api does (/openapi.json and /docs do not). */
const TOKEN_PATHS = new Set(["/metrics"]);

export interface GuardOptions {
  tokenFile: SecretFile;
  initialToken: string;
  allowedHosts: string[];
  /** The port actually bound (known only after listen when 0 was asked for). */
  port: () => number;
}

export class RequestGuard {
  private digest: Buffer;
  private tokenMtime = 0;
  private checkedAt = 0;

  constructor(private readonly options: GuardOptions) {
    this.digest = sha256(options.initialToken);
    this.tokenMtime = mtimeOf(options.tokenFile.path);
  }

  /** Throws the AppError that refuses the request, or returns when it may go on. */
  check(request: Request): void {
    this.checkHost(request);
    const url = new URL(request.url); // safe now: the Host is one of ours
    const isApi = url.pathname.startsWith("/api/");
    const isSocket = url.pathname.startsWith("/ws/");
    const isTicketSocket = TICKET_SOCKET.test(url.pathname);
    const changesState = !SAFE_METHODS.has(request.method) || isSocket || isTicketSocket;
    if (request.method === "OPTIONS" && request.headers.has("access-control-request-method")) {
      throw new AppError("forbidden", "CORS preflight refused: this API serves only its own origin");
    }
    if (changesState) this.checkOrigin(request);
    if (isTicketSocket && request.headers.get("origin") === null) throw new AppError("forbidden", "Missing Origin: this websocket is for the app's own pages");
    if ((isApi && !isTicketSocket) || isSocket || TOKEN_PATHS.has(url.pathname)) {
      const token = isSocket ? url.searchParams.get("token") : request.headers.get("x-local-token");
      if (!token) {
        const where = isSocket ? "the ?token= query parameter" : "the X-Local-Token header";
        throw new AppError("unauthorized", `Missing API token: send it in ${where}`);
      }
      if (!this.tokenMatches(token)) throw new AppError("unauthorized", "Invalid API token");
    }
    if (isApi && !SAFE_METHODS.has(request.method)) checkBody(request);
  }

  hostAllowed(host: string | null): boolean {
    if (!host) return false;
    const port = this.options.port();
    const names = ["127.0.0.1", "localhost", "[::1]", ...this.options.allowedHosts];
    const lower = host.toLowerCase();
    return names.some((name) => lower === `${name}:${port}` || (port === 80 && lower === name));
  }

  private checkHost(request: Request): void {
    if (!this.hostAllowed(request.headers.get("host"))) {
      throw new AppError("forbidden", "Host not allowed: this server answers only to its own loopback address");
    }
  }

  /** An Origin is ours only if it is exactly `http://<allowed host>`: scheme, host and port. */
  originAllowed(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // "null" and garbage are foreign
    }
    return url.protocol === OWN_SCHEME && url.origin === origin.toLowerCase() && this.hostAllowed(url.host);
  }

  private checkOrigin(request: Request): void {
    const origin = request.headers.get("origin");
    if (origin !== null && !this.originAllowed(origin)) throw new AppError("forbidden", "Cross-origin request refused");
    if (request.headers.get("sec-fetch-site") === "cross-site") throw new AppError("forbidden", "Cross-site request refused");
  }

  private tokenMatches(token: string): boolean {
    this.reloadTokenIfRotated();
    return timingSafeEqual(sha256(token), this.digest);
  }

  /** `taartenfabriek token --rotate` rewrites the file; a running server follows within a second. */
  private reloadTokenIfRotated(): void {
    const now = performance.now();
    if (now - this.checkedAt < TOKEN_RECHECK_MS) return;
    this.checkedAt = now;
    const mtime = mtimeOf(this.options.tokenFile.path);
    if (mtime === this.tokenMtime) return;
    let token: string | null;
    try {
      token = this.options.tokenFile.read();
    } catch {
      token = null; // replaced by something SecretFile refuses (a link): keep the token we have
    }
    if (token) {
      this.digest = sha256(token);
      this.tokenMtime = mtime;
    }
  }
}

function checkBody(request: Request): void {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) throw tooLarge();
  const type = request.headers.get("content-type");
  const hasBody = length > 0 || request.headers.has("transfer-encoding");
  if (type === null && !hasBody) return;
  const mediaType = (type ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new AppError("unsupported_media_type", "Request bodies must be JSON: send Content-Type: application/json");
  }
}

const sha256 = (value: string) => new Bun.CryptoHasher("sha256").update(value).digest() as Buffer;

function mtimeOf(path: string): number {
  try {
    return lstatSync(path).mtimeMs; // the path itself: a link planted there is noticed, and refused by read()
  } catch {
    return 0;
  }
}
