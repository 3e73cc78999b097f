// Entry point of the fake `tart`: log argv, read the knobs, apply the knobs that act before
// any work (latency, hang, fail, crash, gc_error), parse like swift-argument-parser, then
// load only the one command module needed (startup stays cheap: it is spawned hundreds of
// times in benchmarks). Every error is rendered here, as tart's Root.swift does (spec §1.1).
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { helpText, parseArgs } from "./args.ts";
import { commands } from "./command-specs.ts";
import type { CommandModule, Ctx } from "./context.ts";
import { PlainError, TartRuntimeError, UsageError } from "./errors.ts";
import { listed, loadKnobs, perCommand, type Knobs } from "./knobs.ts";
import { armCrash, crashNow, eprintln, out, println } from "./output.ts";
import { tartHome } from "./storage.ts";

const DEFAULT_VERSION = "2.32.1";

const ROOT_HELP = `OVERVIEW: Virtual Machines on Apple Silicon

USAGE: tart <subcommand>

OPTIONS:
  --version               Show the version.
  -h, --help              Show help information.

SUBCOMMANDS:
${Object.values(commands)
  .filter((c) => !c.hidden)
  .map((c) => `  ${c.name.padEnd(24)}${c.abstract}`)
  .join("\n")}

  See 'tart help <subcommand>' for detailed help.
`;

function render(e: unknown): number {
  if (e instanceof TartRuntimeError) {
    eprintln(e.message);
    return e.exitCode;
  }
  if (e instanceof UsageError) {
    const def = e.usageOf ? commands[e.usageOf] : undefined;
    const usage = def
      ? `Usage: tart ${def.synopsis}\n  See 'tart ${def.name} --help' for more information.`
      : "Usage: tart <subcommand>\n  See 'tart --help' for more information.";
    eprintln(`Error: ${e.message}\n${e.help ? `Help:  ${e.help}\n` : ""}${usage}`);
    return 64;
  }
  eprintln(`Error: ${e instanceof PlainError ? e.message : String(e)}`);
  return 1;
}

/** Which knob key an invocation counts as: the subcommand, "version", "help" or "root". */
function commandKey(argv: string[]): string {
  const first = argv[0];
  if (first === undefined) return "help";
  if (first === "--version") return "version";
  return commands[first] ? first : first === "help" || first === "--help" || first === "-h" ? "help" : "root";
}

async function applyKnobs(knobs: Knobs, key: string): Promise<void> {
  const latency = perCommand(knobs.latency_ms, key);
  if (latency > 0) await Bun.sleep(latency);
  if (listed(knobs.hang, key)) {
    // Sleep forever; the default SIGINT/SIGTERM/SIGKILL actions still end us.
    setInterval(() => {}, 1 << 30);
    await new Promise(() => {});
  }
  const fail = knobs.fail?.[key] ?? knobs.fail?.["*"];
  if (fail) {
    if (fail.stdout) out(fail.stdout.endsWith("\n") ? fail.stdout : fail.stdout + "\n");
    if (fail.stderr) eprintln(fail.stderr.replace(/\n$/, ""));
    process.exit(fail.exit ?? 1);
  }
  if (knobs.gc_error && key !== "pull" && key !== "clone")
    eprintln(`Failed to perform garbage collection: ${knobs.gc_error}`);
}

async function main(argv: string[]): Promise<number> {
  const home = tartHome();
  const knobs = loadKnobs(home);
  if (knobs.argv_log !== false)
    appendFileSync(join(home, "argv.log"), JSON.stringify({ argv, pid: process.pid, time: Date.now() }) + "\n");
  const key = commandKey(argv);
  await applyKnobs(knobs, key);
  const crash = listed(knobs.crash, key);
  if (crash) armCrash();

  const version = typeof knobs.version === "string" ? knobs.version : DEFAULT_VERSION;
  if (key === "version") return println(version), 0;
  if (key === "help") {
    const sub = argv[0] === "help" ? commands[argv[1] ?? ""] : undefined;
    out(sub ? helpText(sub) : ROOT_HELP);
    return 0;
  }
  if (key === "root") {
    const first = argv[0]!;
    if (first.startsWith("-") && first.length > 1) throw new UsageError(`Unknown option '${first}'`, "");
    throw new UsageError(`Unexpected argument '${first}'`, "");
  }

  const def = commands[key]!;
  const args = parseArgs(def, argv.slice(1));
  if (args.help) return out(helpText(def)), 0;
  if (args.version) return println(version), 0;
  const ctx: Ctx = { home, knobs, args, garbage: listed(knobs.garbage, key) };
  const mod = (await import(`./commands/${key}.ts`)) as CommandModule;
  mod.validate?.(ctx);
  if (args.late) throw args.late;
  const code = (await mod.run(ctx)) ?? 0;
  // A crashing command that printed nothing still dies abruptly, after doing its work.
  if (crash) crashNow();
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => process.exit(render(e)),
);
