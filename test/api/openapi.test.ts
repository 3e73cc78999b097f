// The OpenAPI document at /openapi.json: it validates as OpenAPI 3.1 (an independent validator),
// it names exactly the routes the app serves (Elysia's own route table, the VM-name wildcard
// expanded with its action words), and what the server really answers — over HTTP and both
// websockets, after real operations on the fake tart — matches the schemas it documents.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { createApp } from "../../src/http/app.ts";
import { ROUTE_DOCS, type RouteDoc } from "../../src/http/openapi/route-docs.ts";
import { ErrorSchema } from "../../src/http/openapi/wire-schemas.ts";
import { EventStreamMessage, TaskStreamMessage } from "../../src/http/openapi/ws-messages.ts";
import { vmActionWords } from "../../src/http/routes/vm-by-name.ts";
import { ServerMetrics } from "../../src/metrics/server-metrics.ts";
import { appDepsOver, domain } from "../domain/fixtures.ts";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

const ROUTE_DOCS_FILE = "src/http/openapi/route-docs.ts";
/** The dashboard's files and client-side routes: one catch-all, not API. */
const UI_ROUTES = new Set(["GET /", "GET /*"]);
const VM_WILDCARD = "/api/vms/*";

let server: TestServer;
let document: any;

beforeAll(async () => {
  server = await startServer({ seed: { local: 3, running: 1, oci: 1 } });
  await server.post("/api/vms/refresh", {}); // the seeded VMs, listed before the first action
  document = await (await server.fetch("/openapi.json", { token: null })).json();
});
afterAll(() => stopAll());

/** The app as bootstrap builds it, over the in-memory domain: only its route table is read. */
function appRoutes(): { method: string; path: string }[] {
  const d = domain();
  const app = createApp({
    ...appDepsOver(d, { cpu_cores: 2, memory_gb: 8 }),
    metrics: new ServerMetrics({ vms: () => [], activeTasks: () => [], onTaskChange: () => () => {} }),
  });
  return app.routes.map((route) => ({ method: route.method, path: route.path }));
}

/** "METHOD /path" of every route served, as route-docs.ts keys them. */
function servedKeys(routes: { method: string; path: string }[]): string[] {
  const keys = new Set<string>();
  const words = vmActionWords();
  for (const { method, path } of routes) {
    const verb = method === "WS" ? "GET" : method; // a websocket is a GET with an upgrade
    if (UI_ROUTES.has(`${verb} ${path}`)) continue;
    if (path === VM_WILDCARD) {
      if (verb === "GET") keys.add("GET /api/vms/{name}");
      for (const word of verb === "GET" ? words.get : words.post) keys.add(`${verb} /api/vms/{name}/${word}`);
      continue;
    }
    keys.add(`${verb} ${path.replace(/:(\w+)/g, "{$1}")}`);
  }
  return [...keys].sort();
}

function gaps(served: string[], docs: Record<string, RouteDoc>) {
  return {
    undocumented: served.filter((key) => !(key in docs)),
    unserved: Object.keys(docs).filter((key) => !served.includes(key)),
  };
}

function expectNoGaps(found: ReturnType<typeof gaps>): void {
  const problems = [
    ...found.undocumented.map((key) => `the app serves "${key}" but ${ROUTE_DOCS_FILE} has no entry for it: add one`),
    ...found.unserved.map((key) => `${ROUTE_DOCS_FILE} documents "${key}" but the app serves no such route: remove or fix it`),
  ];
  if (problems.length) throw new Error(problems.join("\n"));
}

describe("the document", () => {
  test("is served without the token and validates as OpenAPI 3.1", async () => {
    const response = await server.fetch("/openapi.json", { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  test("the validator refuses a document with a broken operation (it is not a rubber stamp)", async () => {
    const broken = structuredClone(document);
    delete broken.paths["/api/health"].get.responses;
    broken.paths["/api/vms/{name}"].get.parameters[0].in = "body";
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  test("a foreign Host is refused here too (DNS rebinding reads no document)", async () => {
    const response = await fetch(`${server.base}/openapi.json`, { headers: { host: `evil.example:${server.port}` } });
    expect(response.status).toBe(403);
  });

  test("every operation has a summary, a tag, its success and its errors as {detail}", () => {
    for (const [path, operations] of Object.entries<any>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, summary: typeof operation.summary }).toEqual({ where, summary: "string" });
        expect({ where, tags: operation.tags.length }).toEqual({ where, tags: 1 });
        const codes = Object.keys(operation.responses);
        expect({ where, ok: codes.includes("200") || codes.includes("101") }).toEqual({ where, ok: true });
        for (const code of codes.filter((c) => Number(c) >= 400)) {
          expect(operation.responses[code].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
        }
      }
    }
    expect(document.components.schemas.Error.required).toEqual(["detail"]);
  });

  test("bodies are the routes' own schemas: a 422's message is in the document", () => {
    const create = document.paths["/api/vms/create"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(["name", "source_vm"]);
    expect(create.properties.cpu["x-error"]).toMatch(/^must be an integer from 1 to \d+$/);
    expect(document.paths["/api/vms/{name}/settings"].post.requestBody.required).toBe(true);
    expect(document.paths["/api/vms/{name}/start"].post.requestBody.required).toBe(false);
  });

  test("who needs the token: /api and the websockets do, the document and /docs do not, /metrics does", () => {
    expect(document.security).toEqual([{ LocalToken: [] }]);
    expect(document.paths["/openapi.json"].get.security).toEqual([]);
    expect(document.paths["/docs"].get.security).toEqual([]);
    expect(document.paths["/metrics"].get.security).toBeUndefined();
    expect(document.paths["/ws/events"].get.security).toEqual([{ SocketToken: [] }]);
    expect(document.paths["/ws/events"].get["x-websocket-messages"]).toEqual({ $ref: "#/components/schemas/EventStreamMessage" });
  });
});

describe("the route list", () => {
  test("names exactly the routes the app serves", () => {
    const served = servedKeys(appRoutes());
    expectNoGaps(gaps(served, ROUTE_DOCS));
    const documented = Object.entries<any>(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(served);
  });

  test("a route without docs, or docs without a route, fails naming the key and the file", () => {
    const served = servedKeys(appRoutes());
    const { ["POST /api/vms/{name}/start"]: _, ...missing } = ROUTE_DOCS;
    expect(() => expectNoGaps(gaps(served, missing))).toThrow(`the app serves "POST /api/vms/{name}/start" but ${ROUTE_DOCS_FILE} has no entry for it`);
    const extra = { ...ROUTE_DOCS, "GET /api/nowhere": ROUTE_DOCS["GET /api/health"]! };
    expect(() => expectNoGaps(gaps(served, extra))).toThrow(`documents "GET /api/nowhere" but the app serves no such route`);
    // A new action word on the VM-name wildcard is a route too.
    const withAction = servedKeys([{ method: "POST", path: VM_WILDCARD }]);
    expect(withAction).toContain("POST /api/vms/{name}/suspend");
  });
});

/** The schema of a documented JSON answer. */
function answerSchema(key: string): TSchema {
  const answer = ROUTE_DOCS[key]!.answer;
  if (!("json" in answer)) throw new Error(`${key} has no JSON answer`);
  return answer.json;
}

function expectMatches(key: string, schema: TSchema, value: unknown): void {
  const errors = [...Value.Errors(schema, value)].slice(0, 3).map((e) => `${e.path}: ${e.message}`);
  expect({ key, errors }).toEqual({ key, errors: [] });
}

describe("real answers match the documented schemas", () => {
  test("every GET without a path parameter, and one VM, its config and a task", async () => {
    const task = await server.startTask("/api/vms/vm-0002/clone", { new_name: "copy-1" });
    expectMatches("POST /api/vms/{name}/clone", answerSchema("POST /api/vms/{name}/clone"), task);
    await server.waitTask(task.id);
    for (const key of Object.keys(ROUTE_DOCS)) {
      const [method, path] = key.split(" ") as [string, string];
      if (method !== "GET" || path.includes("{") || !("json" in ROUTE_DOCS[key]!.answer)) continue;
      const response = await server.fetch(path);
      expect({ key, status: response.status }).toEqual({ key, status: 200 });
      expectMatches(key, answerSchema(key), await response.json());
    }
    expectMatches("GET /api/vms/{name}", answerSchema("GET /api/vms/{name}"), await server.get("/api/vms/copy-1"));
    expectMatches("GET /api/vms/{name}/config", answerSchema("GET /api/vms/{name}/config"), await server.get("/api/vms/copy-1/config"));
    expectMatches("GET /api/tasks/{id}", answerSchema("GET /api/tasks/{id}"), await server.get(`/api/tasks/${task.id}`));
    const refused = await server.fetch("/api/vms/nope");
    expect(refused.status).toBe(404);
    expectMatches("a 404", ErrorSchema, await refused.json());
  });

  test("the websockets' messages, during a start, match their documented schemas", async () => {
    const events: unknown[] = [];
    const eventSocket = new WebSocket(`${server.base.replace("http", "ws")}/ws/events?token=${server.token}`);
    eventSocket.onmessage = (message) => events.push(JSON.parse(String(message.data)));
    await new Promise((resolve) => (eventSocket.onopen = resolve));
    const task = await server.startTask("/api/vms/vm-0003/start", {});
    const taskMessages: unknown[] = [];
    const taskSocket = new WebSocket(server.taskSocket(task.id, "&mode=delta"));
    taskSocket.onmessage = (message) => taskMessages.push(JSON.parse(String(message.data)));
    await new Promise((resolve) => (taskSocket.onclose = resolve));
    await Bun.sleep(300); // the event feeds coalesce for up to 150 ms
    eventSocket.close();
    expect(taskMessages.length).toBeGreaterThan(0);
    for (const message of taskMessages) expectMatches("/ws/tasks/{id}", TaskStreamMessage, message);
    const types = new Set(events.map((event) => (event as { type: string }).type));
    expect(types.has("hello") && types.has("task.created") && types.has("task.finished") && types.has("vm.changed")).toBe(true);
    for (const event of events) expectMatches("/ws/events", EventStreamMessage, event);
  });
});
