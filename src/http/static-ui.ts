/**
 * Serves the UI embedded in the executable: files by exact path only (no file-system lookups, so
 * no traversal), hashed assets cached for a year, the HTML never cached, and any other non-API
 * path answered with the app's index.html so client-side routes survive a reload. Without a built
 * UI (running from source) every page says so instead of failing.
 */
import { Elysia } from "elysia";
import { notFound } from "../domain/errors.ts";

/** URL path → path of the embedded file. */
export type UiFiles = Record<string, string>;

export const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-cache",
  "content-security-policy":
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>de taartenfabriek</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>de taartenfabriek</h1><p>The server is running, but this build has no UI: run <code>bun run build</code>
and start <code>dist/taartenfabriek</code>. The API under <code>/api</code> works as documented.</p></body></html>`;

export function staticUiRoutes(files: UiFiles | null) {
  const serve = (pathname: string): Response => {
    if (pathname.startsWith("/api/") || pathname === "/api" || pathname.startsWith("/ws/")) throw notFound("Not Found");
    if (pathname.startsWith("/assets/") && !files?.[pathname]) throw notFound("Not Found");
    if (!files || !files["/index.html"]) return new Response(NOT_BUILT, { headers: HTML_HEADERS });
    const asset = pathname !== "/" && pathname !== "/index.html" ? files[pathname] : undefined;
    if (asset) {
      const immutable = pathname.startsWith("/assets/");
      const file = Bun.file(asset);
      return new Response(file, {
        headers: {
          "content-type": file.type,
          "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
          "x-content-type-options": "nosniff",
        },
      });
    }
    // Any other path is a client-side route of the app.
    return new Response(Bun.file(files["/index.html"]), { headers: HTML_HEADERS });
  };
  return new Elysia({ name: "static-ui" })
    .get("/", ({ path }) => serve(path))
    .get("/*", ({ path }) => serve(path));
}
