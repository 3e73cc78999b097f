// The API client: token header, JSON bodies, encoded VM names, and errors that carry the detail.
import { describe, expect, test } from "bun:test";
import { ApiError, createApiClient, detailFromBody, errorDetail, isUnauthorized, isUnreachable, taskSocketUrl, vmPath } from "../../ui/src/api/client.ts";

type Call = { url: string; init: RequestInit };

function fakeFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return respond(call);
  }) as typeof fetch;
  return { fn, calls };
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("requests", () => {
  test("GET sends the token and no body", async () => {
    const f = fakeFetch(() => json([]));
    await createApiClient({ token: "tok", fetch: f.fn }).listVms();
    expect(f.calls[0]!.url).toBe("/api/vms");
    expect(f.calls[0]!.init.method).toBe("GET");
    expect((f.calls[0]!.init.headers as Record<string, string>)["X-Local-Token"]).toBe("tok");
    expect(f.calls[0]!.init.body).toBeUndefined();
  });
  test("POST sends JSON, {} when there is no body", async () => {
    const f = fakeFetch(() => json({ id: "t" }));
    const api = createApiClient({ token: "tok", fetch: f.fn });
    await api.startVm("dev");
    await api.cloneVm("ghcr.io/a/b:latest", "copy", true);
    expect(f.calls[0]!.init.body).toBe("{}");
    expect((f.calls[0]!.init.headers as Record<string, string>)["Content-Type"]).toBe("application/json");
    expect(f.calls[1]!.url).toBe("/api/vms/ghcr.io%2Fa%2Fb%3Alatest/clone");
    expect(JSON.parse(String(f.calls[1]!.init.body))).toEqual({ new_name: "copy", start_after_clone: true });
  });
  test("query strings", async () => {
    const f = fakeFetch(() => json({ tasks: [], next_before: null }));
    const api = createApiClient({ token: "t", fetch: f.fn });
    await api.taskHistory(50, 1764370000.5);
    await api.taskHistory();
    expect(f.calls.map((c) => c.url)).toEqual(["/api/tasks?limit=50&before=1764370000.5", "/api/tasks?limit=50"]);
    const g = fakeFetch(() => json({ name: "x", cpu: 1, memory: "1G", disk_size: "1G", raw: {} }));
    await createApiClient({ token: "t", fetch: g.fn }).vmConfig("dev", true);
    expect(g.calls[0]!.url).toBe("/api/vms/dev/config?force_refresh=true");
  });
  test("the VM list is asked for conditionally: null while the ETag still holds", async () => {
    let etag = '"v1"';
    const f = fakeFetch((call) =>
      (call.init.headers as Record<string, string>)["If-None-Match"] === etag
        ? new Response(null, { status: 304, headers: { ETag: etag } })
        : new Response(JSON.stringify([{ name: "dev" }]), { headers: { ETag: etag } }),
    );
    const api = createApiClient({ token: "t", fetch: f.fn });
    const first = await api.listVmsIfChanged(null);
    expect(first).toEqual({ vms: [{ name: "dev" }] as never, etag: '"v1"' });
    expect((f.calls[0]!.init.headers as Record<string, string>)["If-None-Match"]).toBeUndefined();
    expect(await api.listVmsIfChanged('"v1"')).toBeNull();
    etag = '"v2"';
    expect((await api.listVmsIfChanged('"v1"'))?.etag).toBe('"v2"');
  });
  test("a cluster's VM list is asked for conditionally too", async () => {
    const f = fakeFetch((call) =>
      (call.init.headers as Record<string, string>)["If-None-Match"] === '"c1"'
        ? new Response(null, { status: 304, headers: { ETag: '"c1"' } })
        : new Response(JSON.stringify({ vms: [{ name: "ci-1" }] }), { headers: { ETag: '"c1"' } }),
    );
    const api = createApiClient({ token: "t", fetch: f.fn });
    expect(await api.clusterVmsIfChanged("farm", null)).toEqual({ vms: [{ name: "ci-1" }] as never, etag: '"c1"' });
    expect(await api.clusterVmsIfChanged("farm", '"c1"')).toBeNull();
    expect(f.calls.map((c) => c.url)).toEqual(["/api/clusters/farm/vms", "/api/clusters/farm/vms"]);
  });
  test("a 304 nobody asked for is an error, not an empty answer", async () => {
    const f = fakeFetch(() => new Response(null, { status: 304 }));
    const err = await createApiClient({ token: "t", fetch: f.fn }).listVms().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
  });
  test("the task log is plain text", async () => {
    const f = fakeFetch(() => new Response("line 1\nline 2", { headers: { "Content-Type": "text/plain" } }));
    expect(await createApiClient({ token: "t", fetch: f.fn }).taskLog("abc")).toBe("line 1\nline 2");
  });
});

describe("errors", () => {
  test("non-2xx becomes ApiError with the server's detail", async () => {
    const f = fakeFetch(() => json({ detail: "VM dev is busy with task 42 (start)" }, 409));
    const err = await createApiClient({ token: "t", fetch: f.fn }).stopVm("dev").catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(errorDetail(err)).toBe("VM dev is busy with task 42 (start)");
  });
  test("401 and network failures are recognisable", async () => {
    const unauthorized = await createApiClient({ token: "t", fetch: fakeFetch(() => json({ detail: "Invalid token" }, 401)).fn })
      .health()
      .catch((e) => e);
    expect(isUnauthorized(unauthorized)).toBe(true);
    const down = await createApiClient({
      token: "t",
      fetch: fakeFetch(() => {
        throw new TypeError("Failed to fetch");
      }).fn,
    })
      .health()
      .catch((e) => e);
    expect(isUnreachable(down)).toBe(true);
    expect(errorDetail(down)).toContain("Failed to fetch");
  });
  test("detailFromBody handles odd bodies", () => {
    expect(detailFromBody(422, JSON.stringify({ detail: "name: must match ..." }))).toBe("name: must match ...");
    expect(detailFromBody(422, JSON.stringify({ detail: [{ loc: ["body", "cpu"], msg: "too big" }] }))).toBe("cpu: too big");
    expect(detailFromBody(502, "Bad gateway")).toBe("Bad gateway");
    expect(detailFromBody(500, "")).toBe("Request failed with HTTP 500");
    expect(detailFromBody(500, "x".repeat(400))).toBe("Request failed with HTTP 500");
  });
});

test("vmPath and taskSocketUrl encode names and pick ws/wss", () => {
  expect(vmPath("ghcr.io/cirruslabs/macos:latest")).toBe("/api/vms/ghcr.io%2Fcirruslabs%2Fmacos%3Alatest");
  expect(taskSocketUrl("http://127.0.0.1:8000", "a b", "t&k")).toBe("ws://127.0.0.1:8000/ws/tasks/a%20b?token=t%26k&mode=delta");
  expect(taskSocketUrl("https://h", "x", "k").startsWith("wss://h/")).toBe(true);
});
