/**
 * The reference for the start-up and read-path benchmarks: a bare `Bun.serve` that answers one
 * GET route with fixed JSON bytes, checking the X-Local-Token header the way any /api route needs
 * it (a plain string comparison, no framework).
 *
 *   bun bench/reference/bare-serve.ts --port N --route /api/health --token T [--file body.json | --body '{...}']
 *
 * Prints `listening on PORT` once it accepts connections.
 */
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const route = flag("--route") ?? "/api/health";
const token = flag("--token") ?? "";
const file = flag("--file");
const body = file ? readFileSync(file) : new TextEncoder().encode(flag("--body") ?? '{"status":"ok"}');
const headers = { "content-type": "application/json; charset=utf-8" };

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(flag("--port") ?? 0),
  development: false,
  fetch(request) {
    if (request.headers.get("x-local-token") !== token) return Response.json({ detail: "Invalid API token" }, { status: 401 });
    if (request.method === "GET" && new URL(request.url).pathname === route) return new Response(body, { headers });
    return Response.json({ detail: "Not Found" }, { status: 404 });
  },
});
console.log(`listening on ${server.port}`);
