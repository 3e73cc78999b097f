// The VM store reducer and its selectors: sections, filters, paging for large inventories.
import { describe, expect, test } from "bun:test";
import { gigabytes, vmActions } from "../../ui/src/lib/vm-actions.ts";
import {
  createSources,
  initialVmState,
  isOci,
  matchesFilter,
  pageOf,
  sections,
  statusCounts,
  vmReducer,
} from "../../ui/src/stores/vms.ts";
import { vm } from "./fixtures.ts";

const oci = (name: string) => vm(name, { kind: "oci", source: "OCI" });

describe("vmReducer", () => {
  test("loaded sorts by name and clears the error", () => {
    let s = vmReducer(initialVmState(), { type: "loadFailed", error: "boom" });
    s = vmReducer(s, { type: "loaded", vms: [vm("b"), vm("a")], at: 5 });
    expect(s.vms.map((v) => v.name)).toEqual(["a", "b"]);
    expect(s).toMatchObject({ loaded: true, updatedAt: 5, error: null });
  });
  test("does not mutate its input", () => {
    const before = { ...initialVmState(), vms: [vm("b"), vm("a")] };
    const snapshot = JSON.stringify(before);
    vmReducer(before, { type: "taskStarted", name: "a", taskId: "t1" });
    vmReducer(before, { type: "loaded", vms: before.vms, at: 1 });
    expect(JSON.stringify(before)).toBe(snapshot);
  });
  test("taskStarted marks the VM busy until taskFinished", () => {
    let s = vmReducer(initialVmState(), { type: "loaded", vms: [vm("a"), vm("b")], at: 1 });
    s = vmReducer(s, { type: "taskStarted", name: "a", taskId: "t1" });
    expect(s.vms.find((v) => v.name === "a")?.active_task_id).toBe("t1");
    expect(s.vms.find((v) => v.name === "b")?.active_task_id).toBeUndefined();
    s = vmReducer(s, { type: "taskFinished", taskId: "t1" });
    expect(s.vms.find((v) => v.name === "a")?.active_task_id).toBeNull();
  });
  test("a poll's ETag is kept; unchanged only moves the clock and keeps the very same list", () => {
    let s = vmReducer(initialVmState(), { type: "loaded", vms: [vm("a")], at: 1, etag: '"v1"' });
    expect(s.etag).toBe('"v1"');
    s = vmReducer(s, { type: "loadFailed", error: "down" });
    const list = s.vms;
    s = vmReducer(s, { type: "unchanged", at: 9 });
    expect(s).toMatchObject({ updatedAt: 9, error: null, etag: '"v1"' });
    expect(s.vms).toBe(list);
    // A refresh answer carries no ETag: the next poll must not claim to hold an older list.
    expect(vmReducer(s, { type: "loaded", vms: [vm("a")], at: 10 }).etag).toBeNull();
  });
  test("an optimistic busy mark forgets the ETag, so the next poll downloads the list", () => {
    let s = vmReducer(initialVmState(), { type: "loaded", vms: [vm("a")], at: 1, etag: '"v1"' });
    s = vmReducer(s, { type: "taskStarted", name: "a", taskId: "t1" });
    expect(s.etag).toBeNull();
    s = vmReducer({ ...s, etag: '"v2"' }, { type: "taskFinished", taskId: "t1" });
    expect(s.etag).toBeNull();
  });
  test("refresh flags", () => {
    const s = vmReducer(initialVmState(), { type: "refreshStarted" });
    expect(s.refreshing).toBe(true);
    expect(vmReducer(s, { type: "refreshFinished" }).refreshing).toBe(false);
  });
});

describe("sections and filters", () => {
  const all = [oci("ghcr.io/cirruslabs/macos:latest"), vm("dev", { status: "running", ip_address: "192.168.64.7" }), vm("ci")];
  test("kind decides the section; a registry path without kind means OCI", () => {
    const s = sections(all, { text: "", status: "all" });
    expect(s.oci.map((v) => v.name)).toEqual(["ghcr.io/cirruslabs/macos:latest"]);
    expect(s.local.map((v) => v.name)).toEqual(["dev", "ci"]);
    expect(isOci({ name: "ghcr.io/x/y:1", source: null })).toBe(true);
    expect(isOci({ name: "dev", source: "local" })).toBe(false);
  });
  test("text matches name, IP and OS; status filters", () => {
    expect(matchesFilter(all[1]!, { text: "64.7", status: "all" })).toBe(true);
    expect(matchesFilter(all[1]!, { text: "DEV", status: "all" })).toBe(true);
    expect(matchesFilter(all[1]!, { text: "", status: "stopped" })).toBe(false);
    const s = sections(all, { text: "", status: "running" });
    expect(s.local.map((v) => v.name)).toEqual(["dev"]);
    expect([s.totalLocal, s.totalOci]).toEqual([2, 1]);
  });
  test("statusCounts", () => expect(statusCounts(all)).toEqual({ running: 1, stopped: 2, unknown: 0 }));
  test("createSources lists images first", () => {
    expect(createSources(all).map((v) => v.name)[0]).toBe("ghcr.io/cirruslabs/macos:latest");
  });
});

describe("pageOf", () => {
  const items = Array.from({ length: 2000 }, (_, i) => i);
  test("a page of a big list", () => {
    const p = pageOf(items, 3, 100);
    expect(p.items.length).toBe(100);
    expect(p).toMatchObject({ page: 3, pages: 20, total: 2000, first: 301, last: 400 });
  });
  test("clamps out-of-range pages (the list shrank)", () => {
    expect(pageOf(items.slice(0, 150), 10, 100).page).toBe(1);
    expect(pageOf(items, -1, 100).page).toBe(0);
    expect(pageOf([], 0, 100)).toMatchObject({ pages: 1, first: 0, last: 0, items: [] });
  });
  test("sectioning 2,000 VMs is fast", () => {
    const many = Array.from({ length: 2000 }, (_, i) => (i % 4 === 0 ? oci(`ghcr.io/o/img-${i}:latest`) : vm(`vm-${i}`)));
    const start = performance.now();
    for (let i = 0; i < 50; i++) sections(many, { text: "vm-1", status: "all" });
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe("vmActions", () => {
  test("a stopped local VM can start, not stop", () => {
    const a = vmActions(vm("dev"));
    expect([a.start, a.stop, a.delete, a.clone, a.connect]).toEqual([true, false, true, true, false]);
  });
  test("a running VM with an IP can stop and connect, not be deleted", () => {
    const a = vmActions(vm("dev", { status: "running", ip_address: "10.0.0.2" }));
    expect([a.start, a.stop, a.delete, a.connect]).toEqual([false, true, false, true]);
  });
  test("images are not started but can be used to create", () => {
    const a = vmActions(oci("ghcr.io/o/i:1"));
    expect([a.start, a.stop, a.create]).toEqual([false, false, true]);
  });
  test("a busy VM or missing tart disables mutating actions", () => {
    const busy = vmActions(vm("dev", { active_task_id: "t" }));
    expect([busy.busy, busy.start, busy.delete, busy.config]).toEqual([true, false, false, true]);
    expect(vmActions(vm("dev"), false).start).toBe(false);
  });
  test("gigabytes parses sizes for the create form", () => {
    expect(gigabytes("8G")).toBe(8);
    expect(gigabytes("8192M")).toBe(8);
    expect(gigabytes("1T")).toBe(1024);
    expect(gigabytes(50)).toBe(50);
    expect(gigabytes("x")).toBeNull();
    expect(gigabytes(null)).toBeNull();
  });
});
