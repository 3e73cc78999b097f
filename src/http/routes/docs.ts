/**
 * GET /openapi.json (the OpenAPI document, http/openapi/) and GET /docs (the interactive reference,
 * ui/docs.html bundled by build.ts). Neither needs the token: the document describes the API, not
 * this machine, and holds nothing a token protects; the page is static and sends the token only
 * from the browser's own storage. The guard's Host and Origin checks apply to both as to every
 * request, so a DNS-rebinding page cannot read them either.
 */
import { Elysia } from "elysia";
import { openApiDocument } from "../openapi/document.ts";
// The dashboard's CSP fits Swagger UI too: inline styles, data: icons, nothing from another origin.
import { HTML_HEADERS, type UiFiles } from "../static-ui.ts";

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API reference</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>API reference</h1><p>This build has no reference page: run <code>bun run build</code>. The document itself is at
<a href="/openapi.json">/openapi.json</a>.</p></body></html>`;

export function docsRoutes(deps: { version: string; uiFiles: UiFiles | null }) {
  // Built once, on the first request: it changes only with the code, and building it at start-up
  // cost every start about 5 ms for a document most starts never serve.
  let json: string | null = null;
  const page = deps.uiFiles?.["/docs.html"];
  return new Elysia({ name: "docs" })
    .get("/openapi.json", () => new Response((json ??= JSON.stringify(openApiDocument(deps.version))), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" } }))
    .get("/docs", () => new Response(page ? Bun.file(page) : NOT_BUILT, { headers: HTML_HEADERS }));
}
