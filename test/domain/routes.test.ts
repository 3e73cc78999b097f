// The routes in process: createApp(...).handle(new Request(...)) over the domain and the
// in-memory tart, with the guard stubbed (guard.test.ts covers it over HTTP). Fast checks of
// what the routes add to the domain: status codes, {"detail"} bodies, schemas, ETags.
import { describe, expect, test } from "bun:test";
import { createApp } from "../../src/http/app.ts";
import { MemoryTart } from "../support/memory-tart.ts";
import { appDepsOver, domain, ended } from "./fixtures.ts";

const HOST = { cpu_cores: 2, memory_gb: 16 };

function app(tart = new MemoryTart().add("base")) {
  const d = domain(tart, HOST);
  const handle = createApp(appDepsOver(d, HOST));
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers } };
    if (body !== undefined) init.body = JSON.stringify(body);
    return handle.handle(new Request(`http://127.0.0.1${path}`, init));
  };
  return { ...d, call };
}

describe("routes in process", () => {
  test("create beyond the host's cores is a 422 naming the field and the limit", async () => {
    const { call, inventory, tart } = app();
    await inventory.refresh();
    const response = await call("POST", "/api/vms/create", { name: "new", source_vm: "base", cpu: 3 });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail: "cpu: the host has 2 cores; a VM cannot have more" });
    expect(tart.calls.some((args) => args[0] === "clone")).toBe(false);
  });

  test("a refresh that fails in tart is a JSON 502 (a rejected promise reaches the error handler)", async () => {
    const { call, tart } = app();
    tart.fail("list", "Error: boom");
    const response = await call("POST", "/api/vms/refresh", {});
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ detail: "boom" });
  });

  test("retry of a task whose stored input breaks the schema answers the route's 422", async () => {
    const { call, inventory, tart, tasks } = app();
    await inventory.refresh();
    tart.fail("clone", "Error: no space");
    const created = await (await call("POST", "/api/vms/create", { name: "new", source_vm: "base" })).json();
    const failed = await ended(tasks, created.id);
    failed.params.cpu = 0;
    const retry = await call("POST", `/api/tasks/${failed.id}/retry`, {});
    const fresh = await call("POST", "/api/vms/create", { name: "new", source_vm: "base", cpu: 0 });
    expect(retry.status).toBe(422);
    expect(fresh.status).toBe(422);
    expect(await retry.json()).toEqual(await fresh.json());
  });

  test("the list's ETag changes as soon as a VM becomes busy", async () => {
    const { call, inventory, tart } = app();
    await inventory.refresh();
    for (let i = 0; i < 100 && inventory.find("base")!.cpu === null; i++) await Bun.sleep(1); // the config fill
    const etag = (await call("GET", "/api/vms")).headers.get("etag")!;
    expect((await call("GET", "/api/vms", undefined, { "if-none-match": etag })).status).toBe(304);
    const release = tart.hold("delete");
    const task = await (await call("POST", "/api/vms/base/delete", {})).json();
    const busy = await call("GET", "/api/vms", undefined, { "if-none-match": etag });
    expect(busy.status).toBe(200);
    expect((await busy.json())[0].active_task_id).toBe(task.id);
    release();
  });
});
