/**
 * A local stand-in for GHCR's anonymous OCI distribution flow, so the catalogue is tested without
 * the internet. It behaves as ghcr.io does for public repositories:
 *  - every /v2 call without a valid bearer token answers 401 with the `WWW-Authenticate: Bearer
 *    realm=…,service=…,scope=…` challenge and the `UNAUTHORIZED` error body;
 *  - `GET /token?scope=repository:<repo>:pull[&service=…]` answers `{"token": …}` only (no
 *    expires_in: clients assume 60 s), the token being base64 of `v1:<repo>:<unix-nanos>`; an
 *    unknown repository is 401 there too (GHCR does not say 404), a `private` one 403 `DENIED`;
 *  - tags/list sorts lexically, honours `n` and the exclusive `last`, and adds a *relative*
 *    `Link: </v2/…/tags/list?last=X&n=N>; rel="next"` while more remain;
 *  - manifests are Tart's: sorted keys, the upload-time and uncompressed-disk-size annotations,
 *    one disk layer per 512 MiB; HEAD answers the headers only; an unknown tag is 404
 *    `MANIFEST_UNKNOWN`; a token older than its lifetime is refused with the challenge again.
 * Modes for failures: `rateLimit` (429 with Retry-After for the next N calls), `delayMs` (slow),
 * `dead` (connections accepted, never answered), and `requests` logs every call for counting.
 */
export interface FakeRepository {
  /** e.g. "cirruslabs/ubuntu" */
  name: string;
  tags: Record<string, FakeImage>;
  /** No anonymous token for it: the token service answers 403, as for a private package. */
  private?: boolean;
}

export interface FakeImage {
  /** Uncompressed disk size in bytes. */
  diskBytes: number;
  uploadedAt: string;
  /** Compressed bytes of the disk layers together. */
  compressedBytes: number;
}

export interface FakeGhcrModes {
  /** The next N /v2 or /token calls answer 429 with this Retry-After (seconds). */
  rateLimit?: { count: number; retryAfterSeconds: number; /** only calls whose path contains this */ pathIncludes?: string };
  delayMs?: number;
  /** Accept connections and never answer. */
  dead?: boolean;
  /** Token lifetime in ms before the fake refuses it (default 60 s, as GHCR's implied one). */
  tokenLifetimeMs?: number;
}

export interface FakeGhcr {
  url: string;
  requests: { method: string; path: string; auth: string | null }[];
  repositories: Map<string, FakeRepository>;
  setModes(modes: FakeGhcrModes): void;
  stop(): void;
}

const LAYER_LIMIT = 512 * 1024 * 1024;
const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
const UNAUTHORIZED = { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] };

export function startFakeGhcr(repositories: FakeRepository[]): FakeGhcr {
  const repos = new Map(repositories.map((r) => [r.name, r]));
  const requests: FakeGhcr["requests"] = [];
  let modes: FakeGhcrModes = {};
  let rateLimited = 0;

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      requests.push({ method: request.method, path: url.pathname + url.search, auth: request.headers.get("authorization") });
      if (modes.dead) return new Promise<Response>(() => {}); // never answers
      if (modes.delayMs) await Bun.sleep(modes.delayMs);
      const limited = modes.rateLimit && (!modes.rateLimit.pathIncludes || url.pathname.includes(modes.rateLimit.pathIncludes));
      if (limited && rateLimited < modes.rateLimit!.count) {
        rateLimited++;
        return Response.json(
          { errors: [{ code: "TOOMANYREQUESTS", message: "retry-after: rate limit exceeded" }] },
          { status: 429, headers: { "retry-after": String(modes.rateLimit!.retryAfterSeconds) } },
        );
      }
      if (url.pathname === "/token") return token(url);
      const match = /^\/v2\/(.+)\/(tags\/list|manifests\/([^/]+))$/.exec(url.pathname);
      if (!match) return Response.json({ errors: [{ code: "NOT_FOUND", message: "not found" }] }, { status: 404 });
      const [, name, what, reference] = match;
      const repo = repos.get(name!);
      if (!authorised(request, name!) || !repo) return challenge(name!);
      if (what === "tags/list") return tagsList(repo, url);
      return manifest(repo, reference!, request.method === "HEAD");
    },
  });
  const origin = server.url.origin;

  function token(url: URL): Response {
    const scope = /^repository:(.+):pull$/.exec(url.searchParams.get("scope") ?? "");
    if (!scope || !repos.has(scope[1]!)) return Response.json(UNAUTHORIZED, { status: 401 });
    if (repos.get(scope[1]!)!.private) return Response.json({ errors: [{ code: "DENIED", message: "requested access to the resource is denied" }] }, { status: 403 });
    const nanos = BigInt(Date.now()) * 1_000_000n;
    return Response.json({ token: btoa(`v1:${scope[1]}:${nanos}`) });
  }

  function authorised(request: Request, name: string): boolean {
    const match = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "");
    if (!match) return false;
    let decoded: string;
    try {
      decoded = atob(match[1]!);
    } catch {
      return false;
    }
    const parts = /^v1:(.+):(\d+)$/.exec(decoded);
    if (!parts || parts[1] !== name) return false;
    const issuedMs = Number(BigInt(parts[2]!) / 1_000_000n);
    return Date.now() - issuedMs <= (modes.tokenLifetimeMs ?? 60_000);
  }

  function challenge(name: string): Response {
    return Response.json(UNAUTHORIZED, {
      status: 401,
      headers: { "www-authenticate": `Bearer realm="${origin}/token",service="ghcr.io",scope="repository:${name}:pull"` },
    });
  }

  function tagsList(repo: FakeRepository, url: URL): Response {
    const all = Object.keys(repo.tags).sort();
    const last = url.searchParams.get("last");
    const nParam = url.searchParams.get("n");
    const n = nParam === null ? all.length : Math.max(0, Number(nParam) || 0);
    const after = last === null ? all : all.filter((tag) => tag > last);
    const page = after.slice(0, n);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (n > 0 && after.length > page.length) {
      headers.link = `</v2/${repo.name}/tags/list?last=${encodeURIComponent(page.at(-1)!)}&n=${n}>; rel="next"`;
    }
    return new Response(JSON.stringify({ name: repo.name, tags: page }), { headers });
  }

  function manifest(repo: FakeRepository, reference: string, head: boolean): Response {
    const image = repo.tags[reference];
    if (!image) return Response.json({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] }, { status: 404 });
    const body = JSON.stringify(tartManifest(image));
    const digest = `sha256:${new Bun.CryptoHasher("sha256").update(body).digest("hex")}`;
    const headers = { "content-type": MANIFEST_TYPE, "docker-content-digest": digest, "content-length": String(body.length) };
    return new Response(head ? null : body, { headers });
  }

  return {
    url: origin,
    requests,
    repositories: repos,
    setModes(next) {
      modes = next;
      rateLimited = 0;
    },
    stop: () => server.stop(true),
  };
}

/** Tart's manifest layout (keys sorted, as Tart's encoder writes them). */
function tartManifest(image: FakeImage) {
  const diskLayers = Math.max(1, Math.ceil(image.diskBytes / LAYER_LIMIT));
  const perLayer = Math.floor(image.compressedBytes / diskLayers);
  const digest = (seed: string) => `sha256:${new Bun.CryptoHasher("sha256").update(seed).digest("hex")}`;
  const layers = [
    { annotations: {}, digest: digest("config"), mediaType: "application/vnd.cirruslabs.tart.config.v1", size: 1254 },
    ...Array.from({ length: diskLayers }, (_, i) => ({
      annotations: {
        "org.cirruslabs.tart.uncompressed-content-digest": digest(`u${i}`),
        "org.cirruslabs.tart.uncompressed-size": String(Math.min(LAYER_LIMIT, image.diskBytes - i * LAYER_LIMIT)),
      },
      digest: digest(`d${i}`),
      mediaType: "application/vnd.cirruslabs.tart.disk.v2",
      size: i === diskLayers - 1 ? image.compressedBytes - perLayer * (diskLayers - 1) : perLayer,
    })),
    { annotations: {}, digest: digest("nvram"), mediaType: "application/vnd.cirruslabs.tart.nvram.v1", size: 540672 },
  ];
  return {
    annotations: {
      "org.cirruslabs.tart.uncompressed-disk-size": String(image.diskBytes),
      "org.cirruslabs.tart.upload-time": image.uploadedAt,
    },
    config: { digest: digest("oci-config"), mediaType: "application/vnd.oci.image.config.v1+json", size: 104 },
    layers,
    mediaType: MANIFEST_TYPE,
    schemaVersion: 2,
  };
}
