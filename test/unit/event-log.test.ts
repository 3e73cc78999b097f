// The event ring: ids increase by one, `since` replays exactly what came after, and an id the
// ring no longer holds (or one from another run) asks for a resync; the VM feed sends only the
// VMs that differ, after a burst of changes has settled.
import { describe, expect, test } from "bun:test";
import { EventLog } from "../../src/events/event-log.ts";
import { VmFeed } from "../../src/events/vm-feed.ts";
import type { Vm } from "../../src/domain/vm.ts";

describe("EventLog", () => {
  test("since replays what came after; beyond the ring, before the first or after the last is a resync", () => {
    const log = new EventLog(3, 1000);
    expect(log.lastId).toBe(999);
    expect(log.since(999)).toEqual([]);
    for (const n of [1, 2, 3, 4]) log.publish("health", { n });
    expect(log.lastId).toBe(1003);
    expect(log.since(1001)!.map((e) => e.id)).toEqual([1002, 1003]);
    expect(log.since(1000)!.map((e) => (e.data as { n: number }).n)).toEqual([2, 3, 4]);
    expect(log.since(999)).toBeNull(); // event 1000 has left the ring
    expect(log.since(5)).toBeNull(); // an id from an earlier run
    expect(log.since(1004)).toBeNull(); // from the future: not this run's
    expect(log.since(1003)).toEqual([]);
  });

  test("subscribers hear every event as it is published", () => {
    const log = new EventLog();
    const heard: string[] = [];
    const stop = log.subscribe((e) => heard.push(e.type));
    log.publish("vm.added", {});
    stop();
    log.publish("vm.removed", {});
    expect(heard).toEqual(["vm.added"]);
  });
});

describe("VmFeed", () => {
  test("one event per VM that differs, however many changes came in the burst", async () => {
    const vms = new Map<string, Vm>();
    const listeners = new Set<() => void>();
    const make = (name: string, status: Vm["status"] = "stopped") => ({ name, status, ip_address: null }) as unknown as Vm;
    for (let i = 0; i < 2000; i++) vms.set(`vm-${i}`, make(`vm-${i}`));
    const log = new EventLog();
    const feed = new VmFeed({ list: () => [...vms.values()], onChange: (l) => (listeners.add(l), () => listeners.delete(l)) }, log, 5);
    vms.set("vm-7", make("vm-7", "running"));
    vms.set("new", make("new"));
    vms.delete("vm-9");
    for (let i = 0; i < 50; i++) for (const l of listeners) l();
    await Bun.sleep(30);
    expect(log.since(log.lastId - 3)!.map((e) => [e.type, (e.data as { name: string }).name])).toEqual([
      ["vm.changed", "vm-7"],
      ["vm.added", "new"],
      ["vm.removed", "vm-9"],
    ]);
    expect(log.since(log.lastId - 3)).toHaveLength(3);
    feed.stop();
  });
});
