/**
 * The run options this server keeps for each VM (GET/PUT /api/vms/{name}/run-options), because
 * tart keeps none: every `tart run` must be told again. A PUT is checked with tart's rules
 * (run-options.ts) against this host — folders that exist, interfaces it has, tart's version —
 * and refused whole before anything is stored; every start checks the kept options again (a
 * folder may have gone since) and refuses with a 409 before tart runs.
 *
 * They follow a rename and go with a delete. A clone does not copy them: a new VM starts with
 * none, because shared folders and a bridged network open the host to the guest, and that is
 * granted to one VM at a time, deliberately. A VM made again under a kept name starts clean too.
 */
import { conflict, invalid, notFound } from "./errors.ts";
import { checkAnyVmName, isOciName, vmKey } from "./names.ts";
import {
  checkRunOptions,
  DEFAULT_RUN_OPTIONS,
  mountHints,
  problemsOf,
  RunOptionsError,
  type MountHint,
  type RunOptionFacts,
  type RunOptionsInput,
  type VmRunOptions,
} from "./run-options.ts";
import type { VmInventory } from "./vm-inventory.ts";

export interface RunOptionsStore {
  load(): Record<string, VmRunOptions>;
  save(vms: Record<string, VmRunOptions>): void;
}

/** The host's side of the facts (run-options.ts); the VM's OS is added per VM. */
export type HostRunFacts = () => Promise<Omit<RunOptionFacts, "os">>;

/** GET /api/vms/{name}/run-options (docs/API.md "Run options"), less the command the route adds. */
export interface RunOptionsView {
  name: string;
  os: string | null;
  /** Whether options were kept for this VM (false: the defaults, what a plain start runs). */
  kept: boolean;
  options: VmRunOptions;
  mount_hints: MountHint[];
  /** What the host offers a bridged network; null when it could not be read. */
  bridged_interfaces: string[] | null;
  /** What would stop a start now (a shared folder gone since, …); empty when it may run. */
  problems: string[];
}

export class KeptRunOptions {
  private readonly vms: Record<string, VmRunOptions>;

  constructor(
    private readonly deps: { store: RunOptionsStore; inventory: VmInventory; hostFacts: HostRunFacts },
  ) {
    this.vms = { ...deps.store.load() };
  }

  async view(name: string): Promise<RunOptionsView> {
    const os = await this.localVmOs(name);
    const facts = { ...(await this.deps.hostFacts()), os };
    const kept = this.find(name);
    const options = kept ?? DEFAULT_RUN_OPTIONS;
    let problems: string[];
    try {
      problems = problemsOf(options, facts);
    } catch {
      problems = ["the kept options are damaged (vm-run-options.json was edited?): save new ones"];
    }
    return this.describe(name, os, kept !== null, options, facts.interfaces, problems);
  }

  /** Replaces the VM's options (the defaults: forgets them); refused whole with a 422 naming the field. */
  async put(name: string, input: RunOptionsInput): Promise<RunOptionsView> {
    const os = await this.localVmOs(name);
    const facts = { ...(await this.deps.hostFacts()), os };
    let options: VmRunOptions;
    try {
      options = checkRunOptions(input, facts);
    } catch (error) {
      if (error instanceof RunOptionsError) throw invalid(error.message);
      throw error;
    }
    this.forget(name);
    if (JSON.stringify(options) !== JSON.stringify(DEFAULT_RUN_OPTIONS)) this.vms[name] = options;
    this.deps.store.save({ ...this.vms });
    return this.describe(name, os, name in this.vms, options, facts.interfaces, []);
  }

  /** The options a start of `name` runs with, checked again now; a 409 when they no longer hold. */
  async forStart(name: string, os: string | null): Promise<VmRunOptions | null> {
    const kept = this.find(name);
    if (!kept) return null;
    const facts = { ...(await this.deps.hostFacts()), os };
    try {
      return checkRunOptions(kept, facts);
    } catch (error) {
      const why = error instanceof RunOptionsError ? error.message : "they are damaged (vm-run-options.json was edited?)";
      throw conflict(`${name} cannot start with its run options: ${why}; change them (PUT /api/vms/${name}/run-options) or reset them to {}`);
    }
  }

  renamed(from: string, to: string): void {
    const kept = this.find(from);
    // Whatever was kept under the new name belonged to a VM gone outside the app: not this one's.
    const stale = this.forget(to);
    if (!kept && !stale) return;
    if (kept) {
      this.forget(from);
      this.vms[to] = kept;
    }
    this.deps.store.save({ ...this.vms });
  }

  /** A delete, or a new VM made under a kept name (by clone or create: it starts with none). */
  removed(name: string): void {
    if (this.forget(name)) this.deps.store.save({ ...this.vms });
  }

  private describe(name: string, os: string | null, kept: boolean, options: VmRunOptions, interfaces: string[] | null, problems: string[]): RunOptionsView {
    return { name, os, kept, options, mount_hints: mountHints(options, os), bridged_interfaces: interfaces, problems };
  }

  /** A local VM the inventory knows (OCI images do not run: 409), with its OS when known. */
  private async localVmOs(name: string): Promise<string | null> {
    checkAnyVmName(name);
    if (isOciName(name)) throw conflict(`${name} is an OCI image: images do not run, so they have no run options (clone it first)`);
    let vm = this.deps.inventory.find(name);
    if (!vm) {
      await this.deps.inventory.settle([]).catch(() => {});
      vm = this.deps.inventory.find(name);
    }
    if (!vm) throw notFound(`VM ${name} not found`);
    if (vm.os !== null) return vm.os;
    return this.deps.inventory.config(vm.name, false).then((config) => config.os, () => null);
  }

  private find(name: string): VmRunOptions | null {
    const key = Object.keys(this.vms).find((entry) => vmKey(entry) === vmKey(name));
    return key === undefined ? null : this.vms[key]!;
  }

  private forget(name: string): boolean {
    let found = false;
    for (const entry of Object.keys(this.vms)) {
      if (vmKey(entry) === vmKey(name)) {
        delete this.vms[entry];
        found = true;
      }
    }
    return found;
  }
}
