/**
 * A local stand-in for GitHub's Packages API, so the catalogue is tested
 * without the internet: bearer-token auth with GitHub's error bodies, `per_page`/`page`, and
 * `Link` headers whose URLs use the /organizations/{id}/ form that clients must follow verbatim.
 */
export interface FakeGithub {
  url: string;
  requests: { path: string; auth: string | null }[];
  stop(): void;
}

const PACKAGES = [
  { name: "macos-sequoia-base", updated_at: "2026-06-06T10:41:07Z", repository: { description: "macOS Sequoia with Xcode tools" } },
  { name: "macos-sequoia-xcode", updated_at: "2026-06-06T10:41:07Z", repository: null },
  { name: "ubuntu", updated_at: "2026-07-16T08:00:00Z", repository: { description: "Ubuntu for Tart" } },
  { name: "orchard", updated_at: "2026-05-01T00:00:00Z", repository: null }, // not a VM image
];
const VERSIONS: Record<string, { tags: string[]; updated_at: string }[]> = {
  "macos-sequoia-base": [{ tags: ["latest"], updated_at: "2026-06-06T10:41:07Z" }, { tags: [], updated_at: "2026-05-02T11:02:10Z" }],
  "macos-sequoia-xcode": [{ tags: ["16.4", "latest"], updated_at: "2026-06-06T10:41:07Z" }, { tags: ["16.3"], updated_at: "2026-05-02T11:02:10Z" }, { tags: ["16"], updated_at: "2026-01-02T11:02:10Z" }],
  ubuntu: [{ tags: ["24.04", "latest"], updated_at: "2026-07-16T08:00:00Z" }, { tags: ["22.04"], updated_at: "2026-07-16T08:00:00Z" }],
  orchard: [{ tags: ["latest"], updated_at: "2026-05-01T00:00:00Z" }],
};

export function startFakeGithub(validToken: string): FakeGithub {
  const requests: FakeGithub["requests"] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      const auth = request.headers.get("authorization");
      requests.push({ path: url.pathname + url.search, auth });
      if (auth !== `Bearer ${validToken}`) {
        return Response.json({ message: auth ? "Bad credentials" : "Requires authentication", documentation_url: "https://docs.github.com/rest", status: "401" }, { status: 401 });
      }
      const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
      const page = Number(url.searchParams.get("page") ?? 1);
      const paged = (items: unknown[], nextPath: string) => {
        const slice = items.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < items.length) {
          headers.link = `<${server.url.origin}${nextPath}?package_type=container&per_page=${perPage}&page=${page + 1}>; rel="next"`;
        }
        return Response.json(slice, { headers });
      };
      let match = /^\/(?:orgs\/cirruslabs|organizations\/4242)\/packages$/.exec(url.pathname);
      if (match) return paged(PACKAGES.map((p) => ({ id: 1, package_type: "container", visibility: "public", ...p })), "/organizations/4242/packages");
      match = /^\/(?:orgs\/cirruslabs|organizations\/4242)\/packages\/container\/([^/]+)\/versions$/.exec(url.pathname);
      if (match) {
        const versions = VERSIONS[decodeURIComponent(match[1]!)];
        if (!versions) return Response.json({ message: "Package not found.", status: "404" }, { status: 404 });
        return paged(
          versions.map((v, i) => ({ id: i, name: `sha256:${String(i).repeat(64)}`, updated_at: v.updated_at, created_at: v.updated_at, metadata: { package_type: "container", container: { tags: v.tags } } })),
          url.pathname,
        );
      }
      return Response.json({ message: "Not Found", status: "404" }, { status: 404 });
    },
  });
  return { url: server.url.origin, requests, stop: () => server.stop(true) };
}
