/**
 * Tasks: the active ones, one by id (from memory, or from the history database once pruned), the
 * paged history, a task's full log file, retrying a failed task and cancelling a running one.
 */
import { Elysia } from "elysia";
import { existsSync } from "node:fs";
import { invalid, notFound } from "../../domain/errors.ts";
import { toWire, type TaskAction } from "../../domain/task.ts";
import type { TaskManager } from "../../domain/task-manager.ts";
import type { RetryInputCheck, VmOperations } from "../../domain/vm-operations.ts";
import { HistoryQuery } from "../models/task.ts";
import { isScratchRequest } from "../../domain/create-from-scratch.ts";
import { CloneBody, CreateBody, CreateScratchBody, PullBody, RenameBody, SettingsBody, StartBody, StopBody } from "../models/vm.ts";
import { LogoutBody, PruneBody } from "../models/host.ts";
import { checkEmptyBody, validate } from "../validate.ts";

const MAX_PAGE = 500;

/**
 * A retried task's stored params through the schema of the route that made it, so a retry is
 * refused with the same 422 as a new request. The stored name is checked by the operation itself,
 * as the path's name is; delete and suspend take no body.
 */
const SCHEMA_OF: Partial<Record<TaskAction, (params: Record<string, unknown>) => unknown>> = {
  create_vm: (params) => validate(isScratchRequest(params) ? CreateScratchBody : CreateBody, params),
  clone_vm: (params) => validate(CloneBody, { new_name: params.new_name, start_after_clone: params.start_after_clone }),
  pull_vm: (params) => validate(PullBody, { oci_url: params.oci_url, ...(params.force !== undefined ? { force: params.force } : {}) }),
  start_vm: (params) =>
    validate(StartBody, {
      ...(params.suspendable !== undefined ? { suspendable: params.suspendable } : {}),
      ...(params.console !== undefined ? { console: params.console } : {}),
    }),
  stop_vm: (params) => validate(StopBody, params.force !== undefined ? { force: params.force } : {}),
  rename_vm: (params) => validate(RenameBody, { new_name: params.new_name }),
  settings_vm: (params) => {
    const { name: _name, ...settings } = params;
    return validate(SettingsBody, settings);
  },
  prune: (params) => validate(PruneBody, params),
  registry_logout: (params) => validate(LogoutBody, { host: params.host }),
  // registry_login: not retried at all (its password was not kept), see VmOperations.retry.
};
const checkRetryInput: RetryInputCheck = (action, params) => void SCHEMA_OF[action]?.(params);

export function taskRoutes(deps: { tasks: TaskManager; operations: VmOperations }) {
  const { tasks } = deps;
  const find = (id: string) => {
    const task = tasks.get(id);
    if (!task) throw notFound(`Task ${id} not found`);
    return task;
  };
  return new Elysia({ name: "tasks" })
    .get("/api/tasks/active", () => tasks.active().map(toWire))
    .get(
      "/api/tasks",
      ({ query }) => {
        const limit = query.limit === undefined ? 50 : Number(query.limit);
        if (limit < 1 || limit > MAX_PAGE) throw invalid(`limit: must be an integer from 1 to ${MAX_PAGE}`);
        const before = query.before === undefined ? Number.POSITIVE_INFINITY : Number(query.before);
        const page = tasks.history(limit + 1, before);
        const more = page.length > limit;
        const shown = page.slice(0, limit);
        return { tasks: shown.map(toWire), next_before: more ? shown.at(-1)!.created_at : null };
      },
      { query: HistoryQuery },
    )
    .get("/api/tasks/:id", ({ params }) => toWire(find(params.id)))
    .get("/api/tasks/:id/log", ({ params }) => {
      find(params.id);
      tasks.flushLogs();
      const path = tasks.logPath(params.id);
      const body = existsSync(path) ? Bun.file(path) : "";
      return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
    })
    // The empty body is checked in the handler, not given to Elysia as the route's schema: Elysia
    // normalises a body such as [1] into one the optional schema accepts.
    .post(
      "/api/tasks/:id/retry",
      async ({ params, body }) => {
        checkEmptyBody(body);
        return toWire(await deps.operations.retry(params.id, checkRetryInput));
      },
    )
    // Answers once the task has ended (or the wait ran out): the Task then says what was left behind.
    .post(
      "/api/tasks/:id/cancel",
      async ({ params, body }) => {
        checkEmptyBody(body);
        return toWire(await deps.operations.cancel(params.id));
      },
    );
}
