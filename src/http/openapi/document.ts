/**
 * The OpenAPI 3.1 document, built from route-docs.ts: each route's body and query schemas (the
 * ones the routes validate with), its answer's schema, and the refusals every route shares (the
 * guard's 401/403, the body rules' 413/415/422), all with the one error shape `{"detail"}`.
 * 3.1 because its schemas are JSON Schema, which TypeBox writes: `null` unions need no rewriting.
 */
import type { TSchema } from "@sinclair/typebox";
import { ROUTE_DOCS, type RouteDoc, type Tag } from "./route-docs.ts";
import * as wire from "./wire-schemas.ts";
import { EventStreamMessage } from "./ws-messages.ts";

type Json = Record<string, unknown>;

/** Schemas shown once under components.schemas and referred to wherever they appear. */
const NAMED: [string, TSchema][] = [
  ["Error", wire.ErrorSchema],
  ["VM", wire.VmSchema],
  ["VMConfig", wire.VmConfigSchema],
  ["Task", wire.TaskSchema],
  ["PullProgress", wire.PullProgressSchema],
  ["TaskPage", wire.TaskPageSchema],
  ["VMImage", wire.CatalogueEntrySchema],
  ["Health", wire.HealthSchema],
  ["HostFacts", wire.HostFactsSchema],
  ["GithubTokenStatus", wire.GithubTokenStatusSchema],
  ["RegistryLogin", wire.RegistryLoginSchema],
  ["EventStreamMessage", EventStreamMessage],
];

const STATUS_MEANING: Record<number, string> = {
  304: "Not modified: the If-None-Match ETag is still current (no body)",
  400: "Malformed JSON or percent-encoding, or a token or repository the upstream refused",
  401: "The token is missing or wrong",
  403: "A foreign Host or Origin, or a CORS preflight",
  404: "No such VM, task or route",
  409: "A conflict: the VM is busy with another task, the name exists, or its state rules the action out",
  413: "A body over 64 KiB",
  415: "A body that is not JSON",
  422: "Validation: the detail names the field",
  502: "tart failed, or printed something that could not be read",
  503: "tart is not installed (the detail says how to install it)",
  504: "A tart command ran over its time limit",
  507: "Not enough space (send `\"force\": true` to pull anyway, where the body has it)",
};

const TAGS: Record<Tag, string> = {
  health: "Whether the server and tart work",
  settings: "The image catalogue's GitHub token and added repositories",
  tart: "The tart executable",
  vms: "The inventory, the catalogue, pulls and creates",
  "vm actions": "Operations on one VM, addressed by name; each starts a task",
  tasks: "What operations did and are doing",
  "host and registries": "The Mac, tart's caches, private registries",
  websockets: "Live updates (OpenAPI cannot describe a websocket: see x-websocket-messages)",
  operations: "This document, the reference page and the metrics",
};

const PATH_PARAMETERS: Record<string, string> = {
  name: "A VM name or OCI reference, raw or percent-encoded (one whose last path segment is an action word must be encoded)",
  id: "A task id (a UUID)",
};

export function openApiDocument(version: string, docs: Record<string, RouteDoc> = ROUTE_DOCS): Json {
  const named = new Map(NAMED.map(([name, schema]) => [schema, name]));
  const paths: Record<string, Record<string, Json>> = {};
  for (const [key, doc] of Object.entries(docs)) {
    const [method, path] = splitKey(key);
    (paths[path] ??= {})[method.toLowerCase()] = operation(key, path, doc, named);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "de taartenfabriek",
      version,
      description:
        "Manages Tart VMs. Every /api route needs the X-Local-Token header (the token is in `<data-dir>/token`; " +
        "`taartenfabriek token` prints it), the websockets take `?token=`. Bodies are JSON; every error is `{\"detail\": \"...\"}`.",
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ LocalToken: [] }],
    paths,
    components: {
      securitySchemes: {
        LocalToken: { type: "apiKey", in: "header", name: "X-Local-Token", description: "The API token (`<data-dir>/token`)" },
        SocketToken: { type: "apiKey", in: "query", name: "token", description: "The API token, for the websockets (browsers cannot set their headers)" },
      },
      schemas: Object.fromEntries(NAMED.map(([name, schema]) => [name, toJsonSchema(schema, named, schema)])),
    },
  };
}

/** "POST /api/vms/{name}/start" → ["POST", "/api/vms/{name}/start"]. */
export function splitKey(key: string): [string, string] {
  const space = key.indexOf(" ");
  return [key.slice(0, space), key.slice(space + 1)];
}

function operation(key: string, path: string, doc: RouteDoc, named: Map<TSchema, string>): Json {
  const schema = (s: TSchema) => toJsonSchema(s, named);
  const parameters: Json[] = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    description: PATH_PARAMETERS[name!] ?? name,
    schema: { type: "string" },
  }));
  const answer = doc.answer;
  const query = "websocket" in answer ? answer.query : doc.query;
  if (query) parameters.push(...queryParameters(query, schema));
  const responses: Record<string, Json> = { ...(("websocket" in answer) ? {} : { 200: success(doc, schema) }) };
  if ("websocket" in answer) responses[101] = { description: "Switching Protocols: the websocket is open" };
  const codes = new Set(doc.errors ?? []);
  if (!doc.open) [401, 403].forEach((code) => codes.add(code));
  if (doc.body) [413, 415, 422].forEach((code) => codes.add(code));
  for (const code of [...codes].sort((a, b) => a - b)) {
    responses[code] = code === 304
      ? { description: STATUS_MEANING[code] }
      : { description: STATUS_MEANING[code] ?? "An error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  }
  return {
    operationId: operationId(key),
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.open ? { security: [] } : "websocket" in answer ? { security: [{ SocketToken: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body
      ? { requestBody: { required: doc.bodyRequired ?? requiresAField(doc.body), content: { "application/json": { schema: schema(doc.body) } } } }
      : {}),
    responses,
    ...("websocket" in answer ? { "x-websocket-messages": schema(answer.websocket) } : {}),
  };
}

function success(doc: RouteDoc, schema: (s: TSchema) => Json): Json {
  const answer = doc.answer;
  if ("json" in answer) return { description: "OK", content: { "application/json": { schema: schema(answer.json) } } };
  if ("text" in answer) return { description: answer.text, content: { "text/plain": { schema: { type: "string" } } } };
  if ("html" in answer) return { description: answer.html, content: { "text/html": { schema: { type: "string" } } } };
  if ("prometheus" in answer) return { description: answer.prometheus, content: { "text/plain; version=0.0.4": { schema: { type: "string" } } } };
  return { description: "OK" };
}

function queryParameters(query: TSchema, schema: (s: TSchema) => Json): Json[] {
  const properties = (query.properties ?? {}) as Record<string, TSchema>;
  const required = new Set<string>((query.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: "query",
    required: required.has(name),
    ...(property.description ? { description: property.description } : {}),
    schema: schema(property),
  }));
}

/** A body none of whose fields is required may be left out: the routes read no body as `{}`. */
const requiresAField = (body: TSchema) => Array.isArray(body.required) && body.required.length > 0;

/** "POST /api/vms/{name}/start" → "post_api_vms_name_start": stable, unique, readable. */
const operationId = (key: string) => key.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");

/**
 * A TypeBox schema as plain JSON Schema: TypeBox's symbols dropped, a named schema replaced by its
 * $ref (except at its own definition), and TypeBox's custom `error` message — what a 422's detail
 * says — kept as the extension `x-error`.
 */
export function toJsonSchema(schema: TSchema, named: Map<TSchema, string>, defining?: TSchema): Json {
  const name = named.get(schema);
  if (name && schema !== defining) return { $ref: `#/components/schemas/${name}` };
  const out: Json = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === "error") {
      if (typeof value === "string") out["x-error"] = value;
    } else if (keyword === "properties" || keyword === "patternProperties") {
      out[keyword] = Object.fromEntries(Object.entries(value as Record<string, TSchema>).map(([k, v]) => [k, toJsonSchema(v, named)]));
    } else if (keyword === "anyOf" || keyword === "oneOf" || keyword === "allOf") {
      out[keyword] = (value as TSchema[]).map((v) => toJsonSchema(v, named));
    } else if ((keyword === "items" || keyword === "additionalProperties" || keyword === "not") && typeof value === "object" && value !== null) {
      out[keyword] = toJsonSchema(value as TSchema, named);
    } else {
      out[keyword] = JSON.parse(JSON.stringify(value));
    }
  }
  return out;
}
