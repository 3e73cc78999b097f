/**
 * Tasks: the active ones, one by id (from memory, or from the history database once pruned), the
 * paged history, a task's full log file, and retrying a failed task.
 */
import { Elysia } from "elysia";
import { existsSync } from "node:fs";
import { invalid, notFound } from "../../domain/errors.ts";
import { toWire } from "../../domain/task.ts";
import type { TaskManager } from "../../domain/task-manager.ts";
import type { VmOperations } from "../../domain/vm-operations.ts";
import { HistoryQuery } from "../models/task.ts";
import { EmptyBody } from "../models/vm.ts";

const MAX_PAGE = 500;

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
    .post("/api/tasks/:id/retry", async ({ params }) => toWire(await deps.operations.retry(params.id)), { body: EmptyBody });
}
