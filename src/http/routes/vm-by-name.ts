/**
 * Every route addressed by a VM name: GET /api/vms/{name}, GET …/config, POST …/start|stop|
 * delete|clone|suspend|rename|settings, GET and PUT …/run-options. OCI names contain `/` and `:` (`ghcr.io/cirruslabs/macos-sequoia-base:latest`),
 * so one wildcard takes the rest of the path and the action is its last segment; the name works
 * raw or percent-encoded. (An OCI name whose last path segment is an action word must be sent
 * percent-encoded.)
 */
import { Elysia, t } from "elysia";
import { AppError, invalid, notFound } from "../../domain/errors.ts";
import { checkAnyVmName } from "../../domain/names.ts";
import { toWire } from "../../domain/task.ts";
import { memoryFromMiB, diskFromGB } from "../../domain/units.ts";
import type { VmInventory } from "../../domain/vm-inventory.ts";
import type { VmOperations } from "../../domain/vm-operations.ts";
import { EXIT_VM_STATE, TartCommandError } from "../../domain/tart-command-error.ts";
import { CloneBody, ConfigQuery, RenameBody, SettingsBody, StartBody, StopBody } from "../models/vm.ts";
import { MethodNotAllowed } from "../errors.ts";
import { checkEmptyBody, validate } from "../validate.ts";
import { commandLine, runArgs } from "../../adapters/tart/tart-argv.ts";
import type { KeptRunOptions, RunOptionsView } from "../../domain/run-options-kept.ts";
import { RunOptionsBody } from "../models/run-options.ts";

const PREFIX = "/api/vms/";
const GET_ACTIONS = new Set(["config", "run-options"]);
const PUT_ACTIONS = new Set(["run-options"]);
const POST_ACTIONS = new Set(["start", "stop", "delete", "clone", "suspend", "rename", "settings"]);

export function splitVmPath(pathname: string): { name: string; action: string | null } {
  const rest = pathname.slice(PREFIX.length);
  const slash = rest.lastIndexOf("/");
  const last = rest.slice(slash + 1);
  const isAction = slash > 0 && (GET_ACTIONS.has(last) || POST_ACTIONS.has(last) || PUT_ACTIONS.has(last));
  const rawName = isAction ? rest.slice(0, slash) : rest;
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    throw invalid("vm_name: is not valid percent-encoding");
  }
  return { name, action: isAction ? last : null };
}

export function vmByNameRoutes(deps: { inventory: VmInventory; operations: VmOperations; runOptions?: KeptRunOptions }) {
  const { inventory, operations } = deps;
  const runOptions = () => {
    if (!deps.runOptions) throw notFound("Not Found");
    return deps.runOptions;
  };
  return new Elysia({ name: "vm-by-name" })
    // `path` is the raw (still percent-encoded) path Elysia already cut from the URL.
    .get(`${PREFIX}*`, async ({ path, query }) => {
      const { name, action } = splitVmPath(path);
      checkAnyVmName(name);
      if (action === null) {
        const vm = inventory.find(name);
        if (!vm) throw notFound(`VM ${name} not found`);
        return vm;
      }
      if (action === "run-options") return withCommand(await runOptions().view(name));
      if (action !== "config") throw new MethodNotAllowed(["POST"], `Use POST for ${action}`);
      const { force_refresh } = validate(ConfigQuery, query);
      return configOf(inventory, name, force_refresh === "true" || force_refresh === "1");
    }, { query: t.Unknown() })
    .post(`${PREFIX}*`, async ({ path, body }) => {
      const { name, action } = splitVmPath(path);
      if (action === null) throw notFound("Not Found");
      if (PUT_ACTIONS.has(action)) throw new MethodNotAllowed(["GET", "PUT"], `Use PUT to change ${action}`);
      if (!POST_ACTIONS.has(action)) throw new MethodNotAllowed(["GET"], `Use GET for ${action}`);
      let task;
      switch (action) {
        case "clone": {
          const { new_name, start_after_clone } = validate(CloneBody, body);
          task = await operations.clone(name, new_name, start_after_clone ?? false);
          break;
        }
        case "start": {
          const start = body == null ? {} : validate(StartBody, body);
          task = await operations.start(name, { suspendable: start.suspendable === true, console: start.console === true });
          break;
        }
        case "stop": {
          const stop = body == null ? {} : validate(StopBody, body);
          task = await operations.stop(name, { force: stop.force === true });
          break;
        }
        case "suspend":
          checkEmptyBody(body);
          task = await operations.suspend(name);
          break;
        case "rename": {
          const { new_name } = validate(RenameBody, body);
          task = await operations.rename(name, new_name);
          break;
        }
        case "settings":
          checkSettingFields(body);
          task = await operations.settings(name, validate(SettingsBody, body));
          break;
        default:
          checkEmptyBody(body);
          task = await operations.delete(name);
      }
      return toWire(task);
    }, { body: t.Unknown() })
    .put(`${PREFIX}*`, async ({ path, body }) => {
      const { name, action } = splitVmPath(path);
      if (action === null) throw notFound("Not Found");
      if (!PUT_ACTIONS.has(action)) throw new MethodNotAllowed(GET_ACTIONS.has(action) ? ["GET"] : ["POST"], `PUT is not a method of ${action}`);
      return withCommand(await runOptions().put(name, validate(RunOptionsBody, body ?? {})));
    }, { body: t.Unknown() });
}

/** The view with the `tart run` line a plain start runs (tart-argv.ts, as the UI's previews). */
function withCommand(view: RunOptionsView) {
  const command = runArgs(view.name, { vm: view.options });
  return { ...view, command, command_line: commandLine(command) };
}

/** A misspelt setting is named as such (the schema alone would say only that the object is wrong). */
function checkSettingFields(body: unknown): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return;
  const known = Object.keys(SettingsBody.properties);
  const unknown = Object.keys(body).find((key) => !known.includes(key));
  if (unknown !== undefined) throw invalid(`${unknown}: is not a setting; give any of ${known.join(", ")}`);
}

async function configOf(inventory: VmInventory, name: string, force: boolean) {
  const vm = inventory.find(name);
  if (vm?.kind === "oci") throw new AppError("conflict", `${name} is an OCI image: only local VMs have a configuration (clone it first)`);
  try {
    const config = await inventory.config(name, force);
    return {
      name,
      cpu: config.cpu,
      memory: memoryFromMiB(config.memoryMiB),
      disk_size: diskFromGB(config.diskGB),
      display: config.display,
      raw: config.raw,
    };
  } catch (error) {
    if (error instanceof TartCommandError && error.exitCode === EXIT_VM_STATE) throw notFound(`VM ${name} not found`);
    throw error;
  }
}

/** The action words after a VM's name, by method: the routes this one wildcard serves (test/api/openapi.test.ts lists them). */
export const vmActionWords = (): Record<string, string[]> => ({ GET: [...GET_ACTIONS], POST: [...POST_ACTIONS], PUT: [...PUT_ACTIONS] });
