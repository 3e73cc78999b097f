/**
 * VM events from the inventory: after a change (coalesced over a few milliseconds, since one look
 * at tart changes many things at once) the list is compared VM by VM with the one last published,
 * and only the VMs that differ are sent: at 2,000 VMs, one changed VM costs one small message.
 */
import type { Vm } from "../domain/vm.ts";
import type { EventLog } from "./event-log.ts";

export interface VmSource {
  list(): Vm[];
  onChange(listener: () => void): () => void;
}

export class VmFeed {
  private published = new Map<string, string>();
  private timer: Timer | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly inventory: VmSource,
    private readonly log: EventLog,
    private readonly coalesceMs = 30,
  ) {
    for (const vm of inventory.list()) this.published.set(vm.name, JSON.stringify(vm));
    this.unsubscribe = inventory.onChange(() => {
      this.timer ??= setTimeout(() => this.publish(), this.coalesceMs);
    });
  }

  stop(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Compares now (also called by tests and by the stream before it answers a `since`). */
  publish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = new Map<string, string>();
    for (const vm of this.inventory.list()) {
      const json = JSON.stringify(vm);
      now.set(vm.name, json);
      const before = this.published.get(vm.name);
      if (before === undefined) this.log.publish("vm.added", vm);
      else if (before !== json) this.log.publish("vm.changed", vm);
    }
    for (const name of this.published.keys()) if (!now.has(name)) this.log.publish("vm.removed", { name });
    this.published = now;
  }
}
