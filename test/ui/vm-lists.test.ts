// The pure logic behind the VM lists: why an action is disabled, the in-flight labels, the OS and
// image words, Connect, the delete wording, sorting, page jumps and bulk plans.
import { describe, expect, test } from "bun:test";
import type { Task, Vm } from "../../ui/src/api/types.ts";
import { actionReasons, OFFLINE_REASON, pageBlock, TART_MISSING_REASON } from "../../ui/src/lib/vm-actions.ts";
import { connectInfo, deleteWording, inFlightLabel, osLabel, parseImageRef, shortDigest, taskForVm } from "../../ui/src/lib/vm-labels.ts";
import { bulkPlan, DEFAULT_SORT, pageFromInput, placeholderVm, sortVms, toggleSort } from "../../ui/src/stores/vms.ts";
import { vm } from "./fixtures.ts";

const running = (name: string, extra: Partial<Vm> = {}) => vm(name, { status: "running", state: "running", ip_address: "192.168.64.5", ...extra });
const image = (name: string) => vm(name, { kind: "oci", source: "OCI", os: null, cpu: null, memory: null });
const task = (action: Task["action"], extra: Partial<Task> = {}) =>
  ({ action, status: "running", vm_name: "dev", progress: null, logs: [], ...extra }) as Pick<Task, "action" | "status" | "vm_name" | "progress" | "logs">;

describe("why an action is disabled", () => {
  test("the page-wide block: offline wins over a missing tart", () => {
    expect(pageBlock({ online: false, tartProblem: "missing" })).toBe(OFFLINE_REASON);
    expect(pageBlock({ online: true, tartProblem: "missing" })).toBe(TART_MISSING_REASON);
    expect(pageBlock({ online: true, tartProblem: null })).toBeNull();
  });
  test("a running VM: delete says to stop it first", () => {
    const r = actionReasons(running("dev"));
    expect(r.delete).toBe("Stop the VM to delete it");
    expect(r.stop).toBeNull();
    expect(r.start).toBe("It is already running");
  });
  test("offline disables everything, config included; tart missing leaves config", () => {
    const off = actionReasons(vm("dev"), OFFLINE_REASON);
    expect(Object.values(off).every((r) => r === OFFLINE_REASON)).toBe(true);
    expect(actionReasons(vm("dev"), TART_MISSING_REASON).config).toBeNull();
  });
  test("a busy VM names what it is waiting for", () => {
    expect(actionReasons(vm("dev", { active_task_id: "t" }), null, "Starting…").start).toBe("Wait until dev is done: Starting…");
  });
});

describe("labels", () => {
  test("in-flight words per action", () => {
    expect(inFlightLabel(task("start_vm"), "dev")).toBe("Starting…");
    expect(inFlightLabel(task("stop_vm"), "dev")).toBe("Stopping…");
    expect(inFlightLabel(task("delete_vm"), "dev")).toBe("Deleting…");
    expect(inFlightLabel(task("clone_vm"), "dev")).toBe("Cloning…");
    expect(inFlightLabel(task("clone_vm", { vm_name: "copy" }), "dev")).toBe("Cloning to copy…");
    expect(inFlightLabel(task("create_vm", { vm_name: "new" }), "img")).toBe("Creating new…");
    expect(inFlightLabel(task("pull_vm", { progress: 43.7 }), "dev")).toBe("Pulling 43%");
    expect(inFlightLabel(task("pull_vm", { logs: ["pulling disk... 12%"] }), "dev")).toBe("Pulling 12%");
    expect(inFlightLabel(task("pull_vm", { status: "pending" }), "dev")).toBe("Pulling…");
  });
  test("the task of a VM: active_task_id first, else an unfinished one by name", () => {
    type T = { status: Task["status"]; id: string };
    const byId: Record<string, T> = { a: { status: "running", id: "a" }, b: { status: "completed", id: "b" } };
    const byName = new Map<string, T>([["dev", { status: "pending", id: "c" }]]);
    expect(taskForVm({ name: "x", active_task_id: "a" }, byId, byName)?.id).toBe("a");
    expect(taskForVm({ name: "dev", active_task_id: "b" }, byId, byName)?.id).toBe("c");
    expect(taskForVm({ name: "y", active_task_id: null }, byId, byName)).toBeUndefined();
  });
  test("OS in words", () => {
    expect(osLabel("darwin")).toBe("macOS");
    expect(osLabel("linux")).toBe("Linux");
    expect(osLabel(null)).toBe("—");
    expect(osLabel("freebsd")).toBe("freebsd");
  });
  test("image references", () => {
    expect(parseImageRef("ghcr.io/cirruslabs/macos:latest")).toEqual({ repository: "ghcr.io/cirruslabs/macos", tag: "latest", digest: null });
    expect(parseImageRef("localhost:5000/a/b", "sha256:ab")).toEqual({ repository: "localhost:5000/a/b", tag: null, digest: "sha256:ab" });
    expect(parseImageRef("ghcr.io/a/b@sha256:0123")).toEqual({ repository: "ghcr.io/a/b", tag: null, digest: "sha256:0123" });
    expect(shortDigest("sha256:64c80d5a44668b1fcf60")).toBe("sha256:64c80d5a4466");
    expect(shortDigest(null)).toBe("—");
  });
  test("Connect: ssh always, Screen Sharing for macOS only, nothing without an address", () => {
    expect(connectInfo(running("mac"))).toEqual({ ip: "192.168.64.5", ssh: "ssh admin@192.168.64.5", vnc: "vnc://192.168.64.5" });
    expect(connectInfo(running("tux", { os: "linux" }))?.vnc).toBeNull();
    expect(connectInfo(vm("off", { ip_address: "192.168.64.9" }))).toBeNull();
  });
  test("delete wording: a VM's disk, an image's OCI cache, several names", () => {
    expect(deleteWording([vm("dev")]).effect).toContain("disk is removed");
    const img = deleteWording([image("ghcr.io/a/b:1")]);
    expect(img.title).toBe("Delete image");
    expect(img.effect).toContain("OCI cache");
    expect(img.effect).not.toContain("Its disk");
    expect(deleteWording([vm("a"), vm("b")]).button).toBe("Delete 2 VMs");
    expect(deleteWording([vm("a"), image("ghcr.io/a/b:1")]).title).toBe("Delete 2 items");
  });
});

describe("sorting, paging, bulk", () => {
  const list = [vm("a", { cpu: 8, memory: "16G" }), running("b", { cpu: 2 }), vm("c", { cpu: null, memory: "4096M" }), running("d", { cpu: 4 })];
  const names = (vms: Vm[]) => vms.map((v) => v.name);
  test("by a column, nulls last either way", () => {
    expect(names(sortVms(list, { ...DEFAULT_SORT, key: "cpu" }))).toEqual(["b", "d", "a", "c"]);
    expect(names(sortVms(list, { ...DEFAULT_SORT, key: "cpu", dir: "desc" }))).toEqual(["a", "d", "b", "c"]);
    expect(names(sortVms(list, { ...DEFAULT_SORT, key: "memory" }))).toEqual(["c", "b", "d", "a"]);
  });
  test("running first keeps the key's order within each group", () => {
    expect(names(sortVms(list, { key: "name", dir: "asc", runningFirst: true }))).toEqual(["b", "d", "a", "c"]);
    expect(names(sortVms(list, { key: "status", dir: "asc", runningFirst: false }))).toEqual(["b", "d", "a", "c"]);
  });
  test("clicking a heading twice flips the direction", () => {
    const once = toggleSort(DEFAULT_SORT, "cpu");
    expect(once).toEqual({ key: "cpu", dir: "asc", runningFirst: false });
    expect(toggleSort(once, "cpu").dir).toBe("desc");
  });
  test("a typed page number is clamped and zero-based", () => {
    expect(pageFromInput("3", 5)).toBe(2);
    expect(pageFromInput("99", 5)).toBe(4);
    expect(pageFromInput("0", 5)).toBe(0);
    expect(pageFromInput("x", 5)).toBeNull();
  });
  test("bulk stop takes running VMs, bulk delete stopped ones; the rest say why", () => {
    const selected = new Set(["a", "b", "c"]);
    expect(bulkPlan(list, selected, "stop")).toEqual({ act: ["b"], skip: [{ name: "a", reason: "not running" }, { name: "c", reason: "not running" }] });
    expect(bulkPlan(list, selected, "delete")).toEqual({ act: ["a", "c"], skip: [{ name: "b", reason: "Stop the VM to delete it" }] });
  });
  test("a placeholder for a pull is a busy image", () => {
    const p = placeholderVm("ghcr.io/a/b:1", true, "t1");
    expect([p.kind, p.active_task_id, p.status]).toEqual(["oci", "t1", "unknown"]);
  });
});
