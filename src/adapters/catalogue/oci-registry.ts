/**
 * An anonymous client of an OCI distribution registry (GHCR, or any registry with token auth):
 * the tags of a repository and the size and date of a Tart image, without any credentials.
 *
 * The token flow is the one Tart itself uses: call /v2/…; on a 401, read the `WWW-Authenticate:
 * Bearer realm=…,service=…,scope=…` challenge, ask the realm for a token (`token` or
 * `access_token`; `expires_in` defaults to 60 s, GHCR sends none), retry once. Tokens are kept
 * per repository until they expire. tags/list pages are followed through `Link`, which GHCR
 * sends as a path relative to the registry. A 429 is waited out when its Retry-After is short.
 *
 * A registry that will not serve a repository to an anonymous client (401 with no way to get an
 * anonymous token, 403, or 404 for an unknown name) fails with `upstream_refused`; one that cannot
 * be reached, is rate-limiting or answers something else fails with `upstream_failed`.
 */
import { isLoopbackRegistry } from "../tart/tart-argv.ts";
import { AppError } from "../../domain/errors.ts";
import type { TagDetails } from "../../domain/image-catalogue.ts";
import { nextLink } from "./link-header.ts";

export interface RegistryOptions {
  /** Registry host (as in references, e.g. "ghcr.io") → base URL to call ("https://ghcr.io"). */
  baseUrl: (host: string) => string;
  userAgent: string;
  timeoutMs?: number;
  /** A 429 whose Retry-After is at most this long is waited out once; longer ones fail. */
  maxRetryAfterMs?: number;
}

const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
const PAGE_SIZE = 100;
const MAX_PAGES = 20;
const DEFAULT_TOKEN_SECONDS = 60;

export class OciRegistry {
  private readonly tokens = new Map<string, { token: string; until: number }>();
  /** Each host's token service, learnt from its first challenge: later repositories skip the 401. */
  private readonly realms = new Map<string, Challenge>();
  /** While a host's first request is out, the others wait for the challenge it brings back. */
  private readonly learning = new Map<string, Promise<void>>();

  constructor(private readonly options: RegistryOptions) {}

  /** Every tag of `host/repository`, in the registry's (lexical) order. */
  async tags(host: string, repository: string): Promise<string[]> {
    const base = this.options.baseUrl(host);
    const tags: string[] = [];
    let next: string | null = `${base}/v2/${repository}/tags/list?n=${PAGE_SIZE}`;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const response = await this.get(host, repository, next, "application/json");
      const body = (await response.json().catch(() => null)) as { tags?: unknown } | null;
      if (!body || (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags))) {
        throw new AppError("upstream_failed", `${host} answered the tag list of ${repository} with something unreadable`);
      }
      tags.push(...((body.tags as unknown[] | null) ?? []).filter((tag): tag is string => typeof tag === "string"));
      next = nextLink(response.headers.get("link"), base);
    }
    return tags;
  }

  /** Size and date of one tag, from its manifest. */
  async details(host: string, repository: string, tag: string): Promise<TagDetails> {
    const url = `${this.options.baseUrl(host)}/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
    const response = await this.get(host, repository, url, MANIFEST_TYPE);
    const manifest = (await response.json().catch(() => null)) as Manifest | null;
    if (!manifest || typeof manifest !== "object") {
      throw new AppError("upstream_failed", `${host} answered the manifest of ${repository}:${tag} with something unreadable`);
    }
    return manifestDetails(manifest);
  }

  private async get(host: string, repository: string, url: string, accept: string): Promise<Response> {
    const key = `${host}/${repository}`;
    let learnt: (() => void) | null = null;
    if (!this.realms.has(host)) {
      const pending = this.learning.get(host);
      if (pending) await pending;
      else this.learning.set(host, new Promise<void>((resolve) => (learnt = resolve)));
    }
    try {
      return await this.getWithToken(host, repository, key, url, accept);
    } finally {
      if (learnt) {
        this.learning.delete(host);
        (learnt as () => void)();
      }
    }
  }

  private async getWithToken(host: string, repository: string, key: string, url: string, accept: string): Promise<Response> {
    const known = this.realms.get(host);
    if (!this.validToken(key) && known) this.tokens.set(key, await this.fetchToken(url, { ...known, scope: null }, repository));
    let response = await this.send(url, accept, this.validToken(key));
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get("www-authenticate"));
      if (!challenge) throw new AppError("upstream_refused", `${host} refused the anonymous request for ${repository} (401) without offering an anonymous token`);
      await response.body?.cancel();
      this.realms.set(host, challenge);
      const token = await this.fetchToken(url, challenge, repository);
      this.tokens.set(key, token);
      response = await this.send(url, accept, token.token);
    }
    if (response.ok) return response;
    throw await failure(host, repository, response);
  }

  private validToken(key: string): string | null {
    const held = this.tokens.get(key);
    return held && held.until > Date.now() ? held.token : null;
  }

  private async fetchToken(registryUrl: string, challenge: Challenge, repository: string) {
    const realm = new URL(challenge.realm, registryUrl);
    // A realm on another host is normal (Docker Hub's auth.docker.io), but only over HTTPS:
    // a plain-http realm is trusted only when the registry itself is that same origin.
    if (realm.protocol !== "https:" && realm.origin !== new URL(registryUrl).origin) {
      throw new AppError("upstream_failed", `the registry's token service ${realm.origin} is not HTTPS`);
    }
    realm.searchParams.set("scope", challenge.scope ?? `repository:${repository}:pull`);
    if (challenge.service) realm.searchParams.set("service", challenge.service);
    const response = await this.send(realm.toString(), "application/json", null);
    if (!response.ok) throw await failure(realm.host, repository, response);
    const body = (await response.json().catch(() => null)) as { token?: unknown; access_token?: unknown; expires_in?: unknown } | null;
    const token = typeof body?.token === "string" ? body.token : typeof body?.access_token === "string" ? body.access_token : null;
    if (!token) throw new AppError("upstream_failed", `${realm.host} answered the token request without a token`);
    const seconds = typeof body?.expires_in === "number" && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    // Renew a few seconds early so a token never expires between check and use.
    return { token, until: Date.now() + Math.max(1, seconds - 5) * 1000 };
  }

  private async send(url: string, accept: string, token: string | null, waited = false): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept, "User-Agent": this.options.userAgent };
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000), redirect: "follow" });
    } catch (error) {
      const reason = (error as Error).name === "TimeoutError" ? "did not answer in time" : (error as Error).message;
      throw new AppError("upstream_failed", `${new URL(url).host} could not be reached: ${reason}`);
    }
    if (response.status === 429 && !waited) {
      const waitMs = retryAfterMs(response.headers.get("retry-after"));
      if (waitMs !== null && waitMs <= (this.options.maxRetryAfterMs ?? 2_000)) {
        await response.body?.cancel();
        await Bun.sleep(waitMs);
        return this.send(url, accept, token, true);
      }
    }
    return response;
  }
}

/** Where a registry named in references as `host` is asked: plain HTTP on loopback, else HTTPS. */
export function registryBaseUrl(host: string): string {
  return `${isLoopbackRegistry(host) ? "http" : "https"}://${host}`;
}

interface Manifest {
  annotations?: Record<string, string>;
  config?: { size?: number };
  layers?: { size?: number }[];
}

export function manifestDetails(manifest: Manifest): TagDetails {
  const sizes = [manifest.config?.size, ...(manifest.layers ?? []).map((layer) => layer?.size)];
  const known = sizes.filter((size): size is number => typeof size === "number" && Number.isFinite(size) && size >= 0);
  const disk = Number(manifest.annotations?.["org.cirruslabs.tart.uncompressed-disk-size"]);
  const uploaded = manifest.annotations?.["org.cirruslabs.tart.upload-time"];
  return {
    download_bytes: manifest.layers?.length ? known.reduce((a, b) => a + b, 0) : null,
    disk_bytes: Number.isFinite(disk) && disk > 0 ? disk : null,
    uploaded_at: typeof uploaded === "string" && !Number.isNaN(Date.parse(uploaded)) ? uploaded : null,
  };
}

interface Challenge {
  realm: string;
  service: string | null;
  scope: string | null;
}

/** `Bearer realm="…",service="…",scope="…"` → its parts; null for anything else. */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header || !/^\s*bearer\s/i.test(header)) return null;
  const params = new Map<string, string>();
  for (const match of header.replace(/^\s*bearer\s+/i, "").matchAll(/([a-zA-Z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    params.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? "");
  }
  const realm = params.get("realm");
  return realm ? { realm, service: params.get("service") ?? null, scope: params.get("scope") ?? null } : null;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

async function failure(host: string, repository: string, response: Response): Promise<AppError> {
  const body = (await response.json().catch(() => null)) as { errors?: { code?: string; message?: string }[] } | null;
  const first = body?.errors?.[0];
  const said = first ? `: ${first.code ?? ""}${first.message ? ` ${first.message}` : ""}` : "";
  if (response.status === 429) {
    const after = response.headers.get("retry-after");
    return new AppError("upstream_failed", `${host} is rate-limiting requests${after ? ` (retry after ${after} s)` : ""}`);
  }
  if (response.status === 401 || response.status === 403) {
    return new AppError("upstream_refused", `${host} refused anonymous access to ${repository} (${response.status}${said}): it may be private or not exist`);
  }
  if (response.status === 404) {
    return new AppError("upstream_refused", `${host} does not know ${repository} (404${said})`);
  }
  return new AppError("upstream_failed", `${host} answered ${response.status} for ${repository}${said}`);
}
