// The README's route table and docs/API.md name the same routes: a route added to one and not the
// other fails here, so neither can fall behind.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
/** "GET /api/tasks?limit=…" → "GET /api/tasks"; websocket headings become GET routes. */
const key = (route: string) => route.replace(/\?.*$/, "").replace(/\{[^}]+\}/g, "{}").trim();

test("every route of docs/API.md is in the README's table, and no other", () => {
  const api = read("docs/API.md");
  const documented = [...api.matchAll(/^#### `([A-Z]+ \/[^`]+)`/gm)].map((m) => key(m[1]!));
  for (const m of api.matchAll(/^## Websocket `(\/ws\/[^`]+)`/gm)) documented.push(key(`GET ${m[1]!}`));
  const readme = read("README.md");
  const listed = [...readme.matchAll(/^\| `([A-Z]+ \/[^`]+)` \|/gm)].map((m) => key(m[1]!));
  expect(documented.length).toBeGreaterThan(30);
  expect([...new Set(listed)].sort()).toEqual([...new Set(documented)].sort());
});
