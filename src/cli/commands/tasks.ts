/**
 * The task commands: `tasks` (the history or the active ones), `logs ID [-f]` (the whole log,
 * then with -f the rest as it comes over the task websocket), `retry ID` and `cancel ID`.
 */
import { reportFinished, startTask, WAIT_FLAG, WAIT_HELP, type Command } from "../command.ts";
import { wholeNumber } from "../arguments.ts";
import { EXIT } from "../exit-codes.ts";
import { cell } from "../output.ts";
import { followTask } from "../task-follow.ts";
import type { TaskWire } from "../../domain/task.ts";

const taskPath = (id: string, tail = "") => `/api/tasks/${encodeURIComponent(id)}${tail}`;

export const taskCommands: Command[] = [
  {
    name: "tasks",
    usage: "tasks [--active] [--limit N] [--json]",
    summary: "list recent tasks, newest first",
    details: "--active    only the tasks not finished\n--limit N   how many (default 20, at most 500)",
    spec: { positionals: [], flags: { active: "switch", limit: "value" } },
    async run({ connect, out, args }) {
      const connection = connect();
      const tasks = args.switches.has("active")
        ? await connection.json<TaskWire[]>("GET", "/api/tasks/active")
        : (await connection.json<{ tasks: TaskWire[] }>("GET", `/api/tasks?limit=${wholeNumber(args, "limit") ?? 20}`)).tasks;
      out.data(tasks);
      if (out.json) return EXIT.ok;
      if (!tasks.length) {
        out.line(args.switches.has("active") ? "no task is running" : "no tasks yet");
        return EXIT.ok;
      }
      out.table(
        ["ID", "ACTION", "VM", "STATUS", "STARTED", "ERROR"],
        tasks.map((task) => [task.id, task.action, cell(task.vm_name), task.status, when(task.created_at), cell(task.error?.split("\n")[0])]),
      );
      return EXIT.ok;
    },
  },
  {
    name: "logs",
    usage: "logs ID [-f|--follow]",
    summary: "print a task's whole log; -f follows it to the end",
    details: "-f, --follow   keep printing lines as they come; the exit code is 1 when the task fails",
    spec: { positionals: ["ID"], flags: { follow: "switch" }, aliases: { f: "follow" } },
    async run({ connect, out, args }) {
      const connection = connect();
      const id = args.positionals.ID!;
      const log = await connection.text(taskPath(id, "/log"));
      const lines = log === "" ? [] : log.replace(/\n$/, "").split("\n");
      // The log goes to stdout here: it is what the command was asked for.
      if (!out.json) for (const line of lines) out.line(line);
      if (!args.switches.has("follow")) {
        out.data({ id, logs: lines });
        return EXIT.ok;
      }
      const task = await followTask(connection, id, out, {
        fromLine: lines.length,
        showLogs: !out.json,
        write: (text) => out.line(text.replace(/\n$/, "")),
      });
      if (out.json) out.data(task);
      return task.status === "failed" ? EXIT.failed : EXIT.ok;
    },
  },
  {
    name: "retry",
    usage: "retry ID [--wait]",
    summary: "run a failed task again, as a new task",
    details: WAIT_HELP,
    spec: { positionals: ["ID"], flags: { ...WAIT_FLAG } },
    run: (context) => startTask(context, taskPath(context.args.positionals.ID!, "/retry"), {}),
  },
  {
    name: "cancel",
    usage: "cancel ID",
    summary: "cancel a pull, clone or create (answers once it has ended; exit 1 if it finished first and failed)",
    spec: { positionals: ["ID"], flags: {} },
    async run({ connect, out, args }) {
      const task = await connect().json<TaskWire>("POST", taskPath(args.positionals.ID!, "/cancel"), {});
      // A cancelled task ends failed, with an error saying what was left behind: that is success here.
      if (task.status === "failed" && task.error?.startsWith("cancelled")) {
        out.data(task);
        out.line(task.error);
        return EXIT.ok;
      }
      return reportFinished(out, task);
    },
  },
];

/** A task's start in local time, to the second. */
function when(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
