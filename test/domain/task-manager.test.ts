// TaskManager: a task's life (pending → running → completed/failed), what its observer records,
// and a failing store that is warned about once without stopping the work.
import { describe, expect, test } from "bun:test";
import { AppError } from "../../src/domain/errors.ts";
import { domain, ended } from "./fixtures.ts";

describe("TaskManager", () => {
  test("runs the work after the caller has the task, and records the result", async () => {
    const { tasks } = domain();
    const task = tasks.create("pull_vm", "ghcr.io/x/y:1", { oci_url: "ghcr.io/x/y:1" });
    const seen: string[] = [];
    tasks.subscribe(task.id, (t) => seen.push(t.status));
    void tasks.run(task, async (ctx) => {
      ctx.observer().onStart?.(["/bin/tart", "pull", "ghcr.io/x/y:1"]);
      ctx.log("50%");
      ctx.observer().onEnd?.({ argv: [], exitCode: 0, stdout: "", stderr: "" });
      return { message: "ok" };
    });
    expect(task.status).toBe("pending");
    const done = await ended(tasks, task.id);
    expect(done).toMatchObject({ status: "completed", result: { message: "ok" }, command: ["/bin/tart", "pull", "ghcr.io/x/y:1"], exit_code: 0, progress: 50 });
    expect(done.logs.all()).toEqual(["$ tart pull ghcr.io/x/y:1", "50%"]);
    expect(seen[0]).toBe("running");
    expect(seen.at(-1)).toBe("completed");
    expect(tasks.active()).toEqual([]);
  });

  test("an AppError fails the task with its detail; anything else is an internal error, logged", async () => {
    const { tasks, warnings } = domain();
    const a = tasks.create("start_vm", "a", { name: "a" });
    await tasks.run(a, async () => {
      throw new AppError("tart_failed", "tart said no");
    });
    expect(a).toMatchObject({ status: "failed", error: "tart said no" });
    const b = tasks.create("start_vm", "b", { name: "b" });
    await tasks.run(b, async () => {
      throw new TypeError("oops");
    });
    expect(b.error).toBe("internal error: oops");
    expect(warnings.some((w) => w.includes("crashed"))).toBe(true);
  });

  test("a failing store is warned about once, and the tasks still run", async () => {
    const { tasks, store, warnings } = domain();
    store.save = () => {
      throw new Error("disk full");
    };
    for (const name of ["a", "b"]) {
      const task = tasks.create("stop_vm", name, { name });
      await tasks.run(task, async () => ({ message: "stopped" }));
      expect(task.status).toBe("completed");
    }
    expect(warnings.filter((w) => w.includes("disk full"))).toHaveLength(1);
  });
});
