// The pure logic behind the lifecycle actions: when Suspend, Force stop, Rename and Settings are
// offered and why not, their in-flight words, and the settings form (prefill, checks, request).
import { describe, expect, test } from "bun:test";
import type { Task, Vm } from "../../ui/src/api/types.ts";
import { taskTitle } from "../../ui/src/lib/format.ts";
import { actionReasons, FORCE_STOP_AFTER_MS, isForceStop, stopLingers } from "../../ui/src/lib/vm-actions.ts";
import { inFlightLabel } from "../../ui/src/lib/vm-labels.ts";
import { settingsFieldOfDetail, settingsFormOf, settingsRequest, validateDisplay, validateSettingsForm } from "../../ui/src/lib/vm-settings-form.ts";
import { vm } from "./fixtures.ts";

const running = (name: string, extra: Partial<Vm> = {}) => vm(name, { status: "running", state: "running", ip_address: "192.168.64.5", ...extra });
const inFlight = (action: Task["action"], extra: Partial<Task> = {}) =>
  ({ action, status: "running", vm_name: "dev", progress: null, logs: [], command: null, ...extra }) as Pick<Task, "action" | "status" | "vm_name" | "progress" | "logs" | "command">;

describe("which lifecycle actions a VM offers", () => {
  test("Suspend: a running macOS VM started suspendable, and nothing else", () => {
    expect(actionReasons(running("dev", { suspendable: true })).suspend).toBeNull();
    expect(actionReasons(running("dev", { suspendable: false })).suspend).toBe("Only a VM started suspendable can be suspended");
    expect(actionReasons(running("dev", { suspendable: null })).suspend).toBe("Only a VM started suspendable can be suspended");
    expect(actionReasons(running("tux", { os: "linux", suspendable: true })).suspend).toBe("Only macOS VMs can be suspended");
    expect(actionReasons(vm("dev")).suspend).toBe("It is not running");
  });

  test("Rename waits for the VM to stop; Settings refuse a suspended VM; images have neither", () => {
    expect(actionReasons(vm("dev")).rename).toBeNull();
    expect(actionReasons(running("dev")).rename).toBe("Stop the VM to rename it");
    expect(actionReasons(running("dev")).settings).toBeNull();
    expect(actionReasons(vm("dev", { state: "suspended" })).settings).toBe("Resume and stop it first: a suspended VM keeps its hardware");
    const image = vm("ghcr.io/a/b:latest", { kind: "oci", source: "OCI" });
    expect(actionReasons(image).rename).toMatch(/^Images are not renamed/);
    expect(actionReasons(image).settings).toMatch(/^Images have no settings/);
  });

  test("Force stop is not held back by the stop in flight it takes over from", () => {
    const busy = running("dev", { active_task_id: "t" });
    expect(actionReasons(busy, null, "Stopping…").stop).toBe("Wait until dev is done: Stopping…");
    expect(actionReasons(busy, null, "Stopping…").forceStop).toBeNull();
    expect(actionReasons(vm("dev")).forceStop).toBe("It is not running");
  });

  test("a graceful stop lingers after a few seconds; a force stop is told by its --timeout 0", () => {
    const now = 1_000_000_000;
    const stop: Pick<Task, "action" | "status" | "created_at" | "command"> = {
      action: "stop_vm",
      status: "running",
      created_at: now / 1000,
      command: ["tart", "stop", "--timeout", "30", "dev"],
    };
    expect(stopLingers(stop, now + FORCE_STOP_AFTER_MS - 1)).toBe(false);
    expect(stopLingers(stop, now + FORCE_STOP_AFTER_MS)).toBe(true);
    expect(stopLingers({ ...stop, status: "failed" }, now + 60_000)).toBe(false);
    const forced = { ...stop, command: ["tart", "stop", "--timeout", "0", "dev"] };
    expect(isForceStop(forced)).toBe(true);
    expect(stopLingers(forced, now + 60_000)).toBe(false);
    expect(stopLingers({ ...stop, action: "start_vm" }, now + 60_000)).toBe(false);
  });
});

describe("in-flight words", () => {
  test("suspend, resume, force stop, rename, settings", () => {
    expect(inFlightLabel(inFlight("suspend_vm"), "dev")).toBe("Suspending…");
    expect(inFlightLabel(inFlight("start_vm", { logs: ["restoring VM state from a snapshot...", "resuming VM..."] }), "dev")).toBe("Resuming…");
    expect(inFlightLabel(inFlight("stop_vm", { command: ["tart", "stop", "--timeout", "0", "dev"] }), "dev")).toBe("Force stopping…");
    expect(inFlightLabel(inFlight("rename_vm"), "dev")).toBe("Renaming…");
    expect(inFlightLabel(inFlight("rename_vm", { command: ["tart", "rename", "dev", "box"] }), "dev")).toBe("Renaming to box…");
    expect(inFlightLabel(inFlight("settings_vm"), "dev")).toBe("Applying settings…");
    expect(taskTitle({ action: "rename_vm", vm_name: "dev", command: ["/opt/tart", "rename", "dev", "box"] })).toBe("Rename dev → box");
    expect(taskTitle({ action: "stop_vm", vm_name: "dev", command: ["tart", "stop", "--timeout", "0", "dev"] })).toBe("Force stop dev");
    expect(taskTitle({ action: "stop_vm", vm_name: "dev", command: ["tart", "stop", "--timeout", "30", "dev"] })).toBe("Stop dev");
  });
});

describe("the settings form", () => {
  const config = { cpu: 4, memory: "8G", disk_size: "50G", display: "1024x768", raw: {} };
  const initial = settingsFormOf(config);
  const context = { host: { cpu_cores: 8, memory_gb: 32 }, os: "darwin", running: false };

  test("is prefilled from the config (the raw Display when the field is missing)", () => {
    expect(initial).toEqual({ cpu: "4", memory: "8", display: "1024x768", disk: "50", randomMac: false, randomSerial: false });
    expect(settingsFormOf({ ...config, display: undefined, raw: { Display: "1920x1080px" } }).display).toBe("1920x1080px");
  });

  test("checks what changed: bounds, the host, tart's macOS minimum, a growing disk, the display", () => {
    const check = (change: Partial<typeof initial>, ctx = context) => validateSettingsForm({ ...initial, ...change }, initial, ctx);
    expect(check({})).toEqual({});
    expect(check({ cpu: "9" }).cpu).toBe("This Mac has 8 cores: a VM can have at most 8.");
    expect(check({ cpu: "2" }).cpu).toBe("tart gives a macOS VM at least 4 cores.");
    expect(check({ cpu: "2" }, { ...context, os: "linux" }).cpu).toBeUndefined();
    expect(check({ memory: "64" }).memory).toBe("This Mac has 32 GB of memory: a VM can have at most 32 GB.");
    expect(check({ memory: "1.5" }).memory).toBe("Enter a whole number.");
    expect(check({ disk: "50x" }).disk).toBe("Enter a whole number.");
    expect(check({ disk: "40" }).disk).toBe("tart can only grow a disk: enter more than 50 (or leave it at 50).");
    expect(check({ disk: "60" }).disk).toBeUndefined();
    expect(check({ disk: "60" }, { ...context, running: true }).disk).toBe("Stop the VM to grow its disk.");
    expect(check({ display: "1920x1080pt" }).display).toBeUndefined();
    expect(check({ display: "1920 x 1080" }).display).toBe("Enter WIDTHxHEIGHT such as 1920x1080, optionally ending in px or pt.");
    expect(validateDisplay("0x768")).not.toBeNull();
  });

  test("sends only what changed, and nothing when nothing did", () => {
    expect(settingsRequest(initial, initial)).toBeNull();
    expect(settingsRequest({ ...initial, memory: "12", display: " 1440x900 " }, initial)).toEqual({ memory: 12, display: "1440x900" });
    expect(settingsRequest({ ...initial, randomMac: true, randomSerial: true }, initial)).toEqual({ random_mac: true, random_serial: true });
    expect(settingsRequest({ ...initial, cpu: "6", disk: "80" }, initial)).toEqual({ cpu: 6, disk_size: 80 });
  });

  test("a server refusal is placed next to its field", () => {
    expect(settingsFieldOfDetail("disk_size: dev's disk is 50 GB and tart can only grow a disk: give more than 50")).toBe("disk");
    expect(settingsFieldOfDetail("random_serial: only macOS VMs have a serial number")).toBe("randomSerial");
    expect(settingsFieldOfDetail("dev is running: stop it before changing disk_size")).toBeNull();
  });
});
