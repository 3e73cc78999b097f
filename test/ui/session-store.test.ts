// Session, toast, route and catalogue helpers.
import { describe, expect, test } from "bun:test";
import { defaultTag, filterImages, pullReference, registryNote, repositoryOf, tagSummary } from "../../ui/src/lib/catalogue.ts";
import { pageFromPath } from "../../ui/src/lib/routes.ts";
import { readViewMode, writeViewMode } from "../../ui/src/stores/prefs.ts";
import type { Health } from "../../ui/src/api/types.ts";
import { catalogueView } from "../../ui/src/lib/catalogue.ts";
import { CHECKING_INTERVAL_MS, healthInterval, initialSession, sessionReducer, tartProblem, tartState } from "../../ui/src/stores/session.ts";
import { MAX_TOASTS, toastReducer } from "../../ui/src/stores/toasts.ts";

const tart = (over: Partial<Health["tart"]>): Health["tart"] => ({ available: true, path: "/t", version: "2", error: null, checking: false, ...over });
const health: Health = {
  status: "ok",
  version: "0.1.0",
  data_dir: "/d",
  tart: tart({}),
  inventory: { refreshed_at: 1, stale: false, error: null },
  host: { cpu_cores: 8, memory_gb: 16 },
};

describe("sessionReducer", () => {
  test("no token starts signed out; a token starts checking", () => {
    expect(initialSession(null).auth).toBe("signed-out");
    expect(initialSession("t").auth).toBe("checking");
  });
  test("healthy signs in and clears offline state", () => {
    let s = sessionReducer(initialSession("t"), { type: "unreachable", error: "down", at: 5 });
    expect(s).toMatchObject({ online: false, failures: 1, offlineSince: 5, auth: "checking" });
    s = sessionReducer(s, { type: "unreachable", error: "down", at: 9 });
    expect(s.offlineSince).toBe(5);
    s = sessionReducer(s, { type: "healthy", health });
    expect(s).toMatchObject({ auth: "signed-in", online: true, failures: 0, offlineSince: null });
  });
  test("unauthorized forgets the token and explains", () => {
    const s = sessionReducer(sessionReducer(initialSession("t"), { type: "healthy", health }), { type: "unauthorized", message: "nope" });
    expect(s).toMatchObject({ token: null, auth: "signed-out", signInError: "nope" });
  });
  test("signing in again clears the previous error", () => {
    const s = sessionReducer({ ...initialSession(null), signInError: "x" }, { type: "checking", token: "new" });
    expect(s).toMatchObject({ token: "new", auth: "checking", signInError: null });
  });
  test("health interval backs off while offline", () => {
    expect(healthInterval({ online: true, failures: 0 })).toBe(5000);
    expect(healthInterval({ online: false, failures: 1 })).toBe(1000);
    expect(healthInterval({ online: false, failures: 3 })).toBe(4000);
    expect(healthInterval({ online: false, failures: 30 })).toBe(10000);
  });
  test("tartProblem", () => {
    expect(tartProblem(null)).toBeNull();
    expect(tartProblem(health)).toBeNull();
    expect(tartProblem({ ...health, tart: tart({ available: false, path: null, version: null, error: "install it" }) })).toBe("install it");
    expect(tartProblem({ ...health, tart: tart({ available: false, path: null, version: null, error: null }) })).toContain("brew install");
  });
  test("a server still checking tart is not a missing tart, and is asked again soon", () => {
    const checking = { ...health, tart: tart({ available: false, path: null, version: null, checking: true }) };
    expect(tartState(checking)).toBe("checking");
    expect(tartProblem(checking)).toBeNull();
    expect(healthInterval({ online: true, failures: 0, health: checking })).toBe(CHECKING_INTERVAL_MS);
    expect(healthInterval({ online: true, failures: 0, health })).toBe(5000);
    expect(tartState(null)).toBe("unknown");
    expect(tartState({ ...health, tart: tart({ available: false }) })).toBe("missing");
  });
});

test("toastReducer keeps the newest few", () => {
  let list = toastReducer([], { type: "shown", toast: { id: 1, kind: "info", text: "a" } });
  for (let i = 2; i <= 6; i++) list = toastReducer(list, { type: "shown", toast: { id: i, kind: "info", text: String(i) } });
  expect(list.map((t) => t.id)).toEqual([3, 4, 5, 6]);
  expect(list).toHaveLength(MAX_TOASTS);
  expect(toastReducer(list, { type: "dismissed", id: 4 }).map((t) => t.id)).toEqual([3, 5, 6]);
});

test("pageFromPath", () => {
  expect(pageFromPath("/")).toBe("vms");
  expect(pageFromPath("/operations")).toBe("operations");
  expect(pageFromPath("/settings/")).toBe("settings");
  expect(pageFromPath("/whatever")).toBe("vms");
});

test("view mode is remembered, defensively", () => {
  const data: Record<string, string> = {};
  const storage = { getItem: (k: string) => data[k] ?? null, setItem: (k: string, v: string) => void (data[k] = v), removeItem: () => undefined };
  expect(readViewMode(storage)).toBe("cards");
  writeViewMode(storage, "table");
  expect(readViewMode(storage)).toBe("table");
  data["taartenfabriek.view"] = "garbage";
  expect(readViewMode(storage)).toBe("cards");
  expect(readViewMode(null)).toBe("cards");
});

describe("catalogue", () => {
  const image = { name: "macos-sequoia-base", url: "ghcr.io/cirruslabs/macos-sequoia-base:latest", description: "Sequoia", tags: ["latest", "15.1"], updated_at: null, os: "linux" as const, source: "built-in" as const, tag_details: {}, checked_at: null, error: null, pulled_tags: [] as string[], local_vms: [] as string[] };
  test("references", () => {
    expect(repositoryOf(image.url)).toBe("ghcr.io/cirruslabs/macos-sequoia-base");
    expect(pullReference(image, "15.1")).toBe("ghcr.io/cirruslabs/macos-sequoia-base:15.1");
    expect(defaultTag(image)).toBe("latest");
    expect(defaultTag({ url: "ghcr.io/a/b", tags: ["1", "2"] })).toBe("1");
  });
  test("filter by name, description or tag", () => {
    expect(filterImages([image], "SEQUOIA")).toHaveLength(1);
    expect(filterImages([image], "15.1")).toHaveLength(1);
    expect(filterImages([image], "ventura")).toHaveLength(0);
    expect(filterImages([image], " ")).toHaveLength(1);
  });
});

describe("catalogueView", () => {
  const image = { name: "ubuntu", url: "ghcr.io/cirruslabs/ubuntu:latest", description: null, tags: ["latest"], updated_at: null, os: "linux" as const, source: "built-in" as const, tag_details: {}, checked_at: null, error: null, pulled_tags: [] as string[], local_vms: [] as string[] };
  test("an error wins, even over an earlier list, and is never 'loading'", () => {
    expect(catalogueView({ loading: false, error: "GitHub refused", images: null })).toEqual({ kind: "error", message: "GitHub refused" });
    expect(catalogueView({ loading: false, error: "x", images: [image] }).kind).toBe("error");
  });
  test("loading until the first answer; then the list, or why it is empty", () => {
    expect(catalogueView({ loading: true, error: null, images: null }).kind).toBe("loading");
    expect(catalogueView({ loading: false, error: null, images: [image] }).kind).toBe("list");
    expect(catalogueView({ loading: false, error: null, images: [] }).kind).toBe("empty");
  });
});

describe("registry facts in the catalogue", () => {
  const GB = 1024 ** 3;
  test("a note only when the registry failed, saying whether the tags are old or a guess", () => {
    expect(registryNote([{ error: null, checked_at: "2026-12-01T00:00:00Z" }])).toBeNull();
    expect(registryNote([{ error: "ghcr.io could not be reached", checked_at: null }])).toContain("usual tag only");
    expect(registryNote([{ error: "ghcr.io could not be reached", checked_at: "2026-12-01T00:00:00Z" }])).toContain("last ones seen");
  });
  test("a tag's sizes in GB, when its manifest was read", () => {
    const image = { tag_details: { latest: { download_bytes: 20.5 * GB, disk_bytes: 50 * GB, uploaded_at: null }, small: { download_bytes: 2.25 * GB, disk_bytes: null, uploaded_at: null } } };
    expect(tagSummary(image, "latest")).toBe("21 GB download · 50 GB disk");
    expect(tagSummary(image, "small")).toBe("2.3 GB download");
    expect(tagSummary(image, "other")).toBeNull();
  });
});
