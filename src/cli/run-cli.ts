/**
 * The CLI client: `taartenfabriek COMMAND …` talks to the running server over its API. This file
 * knows the commands, the flags every command takes (`--json`, `--data-dir`, `--url`, `--help`),
 * and turns what a command throws into a message on stderr and an exit code (exit-codes.ts).
 * main.ts sends argv here when its first word is a command; anything else starts the server.
 */
import { parseArguments, type ArgumentSpec } from "./arguments.ts";
import type { Command, CommandContext } from "./command.ts";
import { ApiError, CliUsageError, EXIT, ServerNotRunning, TaskFailed } from "./exit-codes.ts";
import { Output } from "./output.ts";
import { dataDirOf, ServerConnection } from "./server-connection.ts";
import { inventoryCommands } from "./commands/inventory.ts";
import { vmActionCommands } from "./commands/vm-actions.ts";
import { taskCommands } from "./commands/tasks.ts";
import { hostCommands } from "./commands/host.ts";
import { openCommand } from "./commands/open.ts";
import { serviceCommand } from "./commands/service.ts";
import { autostartCommand } from "./commands/autostart.ts";

export const COMMANDS: readonly Command[] = [
  ...inventoryCommands,
  ...vmActionCommands,
  autostartCommand,
  ...taskCommands,
  ...hostCommands,
  openCommand,
  serviceCommand,
];

const byName = new Map(COMMANDS.map((command) => [command.name, command]));

const GLOBAL_FLAGS = { json: "switch", "data-dir": "value", url: "value", help: "switch" } as const;
const GLOBAL_HELP = `Every command takes:
  --json           print the answer as JSON (for scripts)
  --data-dir DIR   the server's data dir, where its token and address are (default ~/.tartvm-manager; env TARTVM_DATA_DIR)
  --url URL        the server's address, instead of the one it wrote to DIR/server.json (env TARTVM_URL)
Exit codes: 0 done, 1 the operation or its task failed, 2 a wrong command line, 3 no server running.`;

export function isClientCommand(word: string | undefined): boolean {
  return word !== undefined && (word === "help" || byName.has(word));
}

export function clientUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: taartenfabriek COMMAND [options]   (talks to the running server)

Commands:
${lines.join("\n")}

${GLOBAL_HELP}
\`taartenfabriek COMMAND --help\` says more about one. Without a command, taartenfabriek starts the server (taartenfabriek --help).
`;
}

function commandHelp(command: Command): string {
  return `Usage: taartenfabriek ${command.usage}

${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.
${command.details ? `\n${command.details}\n` : ""}
${GLOBAL_HELP}
`;
}

/** Runs one CLI command line; resolves with the exit code. */
export async function runClient(argv: readonly string[], env: Record<string, string | undefined>, out?: Output): Promise<number> {
  const [word, ...rest] = argv;
  if (word === "help") {
    const topic = rest[0] ? byName.get(rest[0]) : undefined;
    process.stdout.write(topic ? commandHelp(topic) : clientUsage());
    return rest[0] && !topic ? EXIT.usage : EXIT.ok;
  }
  const command = byName.get(word!)!;
  const spec: ArgumentSpec = {
    positionals: command.spec.positionals,
    flags: { ...command.spec.flags, ...GLOBAL_FLAGS },
    aliases: { h: "help", ...command.spec.aliases },
  };
  let output = out;
  try {
    // --help wins over anything else wrong on the line.
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    const args = parseArguments(rest, spec);
    output ??= Output.forProcess(args.switches.has("json"));
    const dataDir = dataDirOf(args.values["data-dir"], env);
    let connection: ServerConnection | null = null;
    const context: CommandContext = {
      args,
      out: output,
      env,
      dataDir,
      connect: () => (connection ??= ServerConnection.locate(dataDir, args.values.url ?? (env.TARTVM_URL || undefined))),
    };
    return await command.run(context);
  } catch (error) {
    return report(error, command);
  }
}

function report(error: unknown, command: Command): number {
  const say = (message: string) => process.stderr.write(`taartenfabriek ${command.name}: ${message}\n`);
  if (error instanceof CliUsageError) {
    say(`${error.message}\nUsage: taartenfabriek ${command.usage}   (taartenfabriek ${command.name} --help)`);
    return EXIT.usage;
  }
  if (error instanceof ServerNotRunning) {
    say(error.message);
    return EXIT.notRunning;
  }
  if (error instanceof ApiError) {
    say(error.status === 401 ? `the server refused the token (${error.detail}); was it rotated by another data dir's server?` : error.detail);
    return EXIT.failed;
  }
  if (error instanceof TaskFailed) {
    say(error.message);
    return EXIT.failed;
  }
  say(`unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  return EXIT.failed;
}
