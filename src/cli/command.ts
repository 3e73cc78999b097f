/**
 * What a CLI command is: its words and flags (arguments.ts), its help, and a run that returns an
 * exit code or throws one of exit-codes.ts's errors. `startTask` is the one path of every command
 * that starts a server task: print the task (or with `--wait` follow it to its end) and exit 0
 * when it completed, 1 when it failed.
 */
import type { ArgumentSpec, ParsedArguments } from "./arguments.ts";
import { EXIT } from "./exit-codes.ts";
import type { Output } from "./output.ts";
import type { ServerConnection } from "./server-connection.ts";
import { followTask } from "./task-follow.ts";
import type { TaskWire } from "../domain/task.ts";

export interface CommandContext {
  args: ParsedArguments;
  out: Output;
  env: Record<string, string | undefined>;
  dataDir: string;
  /** The running server; throws ServerNotRunning (exit 3). Only commands that need it call it. */
  connect(): ServerConnection;
}

export interface Command {
  name: string;
  /** The words after `taartenfabriek`, as the help shows them. */
  usage: string;
  summary: string;
  /** More lines for `taartenfabriek NAME --help`. */
  details?: string;
  spec: ArgumentSpec;
  run(context: CommandContext): Promise<number>;
}

/** The flag that makes a task command wait, shared by every one of them. */
export const WAIT_FLAG = { wait: "switch" } as const;
export const WAIT_HELP = "--wait   follow the task to its end (log lines; a progress bar on a terminal); the exit code says how it ended";

export async function startTask(context: CommandContext, path: string, body: unknown): Promise<number> {
  const connection = context.connect();
  const started = await connection.json<TaskWire>("POST", path, body);
  const { out } = context;
  if (!context.args.switches.has("wait")) {
    out.data(started);
    out.line(`${started.action} ${started.vm_name ?? ""}`.trimEnd() + `: task ${started.id} (${started.status})`);
    out.line(`follow it with: taartenfabriek logs ${started.id} -f`);
    return EXIT.ok;
  }
  const task = await followTask(connection, started.id, out, { fromLine: 0, showLogs: !out.json });
  return reportFinished(out, task);
}

/** The end of a task, as a line (people) or the Task (`--json`); its exit code. */
export function reportFinished(out: Output, task: TaskWire): number {
  out.data(task);
  if (task.status === "failed") {
    if (!out.json) out.note(`taartenfabriek: ${task.action} failed: ${task.error ?? "no reason given"}\n`);
    return EXIT.failed;
  }
  const message = typeof task.result?.message === "string" ? task.result.message : `${task.action} completed`;
  out.line(message);
  return EXIT.ok;
}
