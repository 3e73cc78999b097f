/**
 * The restart policy: local VMs marked "start when the server starts". The list is kept in the
 * data dir (storage/autostart-file.ts) and applied once per server start, after the inventory's
 * first look at tart, so a VM already running (it outlived the last server) is left alone and a
 * VM that no longer exists is reported, not retried. Each start is an ordinary start task: it
 * shows in the history, and a failure (two macOS VMs running already) is a failed task.
 */
import { conflict, invalid, notFound } from "./errors.ts";
import { checkLocalName, isOciName, vmKey } from "./names.ts";
import type { Vm } from "./vm.ts";

export interface AutostartStore {
  load(): string[];
  save(vms: string[]): void;
}

export interface AutostartOptions {
  store: AutostartStore;
  find(name: string): Vm | null;
  start(name: string): Promise<{ id: string }>;
  log(message: string): void;
}

export class Autostart {
  private vms: string[];

  constructor(private readonly options: AutostartOptions) {
    this.vms = options.store.load();
  }

  list(): string[] {
    return [...this.vms];
  }

  /** Marks or unmarks a local VM (by its name as tart lists it); returns the new list. */
  set(name: string, enabled: boolean): string[] {
    if (isOciName(name)) throw invalid("name: an OCI image cannot be started; clone it to a local VM first");
    checkLocalName(name);
    const others = this.vms.filter((entry) => vmKey(entry) !== vmKey(name));
    if (!enabled) {
      this.save(others);
      return this.list();
    }
    const vm = this.options.find(name);
    if (!vm) throw notFound(`VM ${name} not found`);
    if (vm.kind !== "local") throw conflict(`${vm.name} is an OCI image: clone it to a local VM first`);
    this.save([...others, vm.name]);
    return this.list();
  }

  /** Starts every marked VM that exists and is not running; call after the first inventory look. */
  async startAll(): Promise<void> {
    for (const name of this.vms) {
      const vm = this.options.find(name);
      if (!vm) {
        this.options.log(`autostart: VM ${name} no longer exists; skipped (taartenfabriek autostart ${name} off removes it)`);
        continue;
      }
      if (vm.state === "running") continue;
      try {
        const task = await this.options.start(vm.name);
        this.options.log(`autostart: starting ${vm.name} (task ${task.id})`);
      } catch (error) {
        this.options.log(`autostart: ${vm.name} was not started: ${(error as Error).message}`);
      }
    }
  }

  private save(vms: string[]): void {
    this.options.store.save(vms);
    this.vms = vms;
  }
}
