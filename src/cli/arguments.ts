/**
 * One command's argv → positionals and flags, by the command's own declaration: which flags it
 * takes, which of them take a value, how many words it needs. Anything else is a CliUsageError,
 * so a typo never reaches the server as a different request. `--flag=value` and `--flag value`
 * both work; `--` ends the flags.
 */
import { CliUsageError } from "./exit-codes.ts";

export interface ArgumentSpec {
  /** Positional words, in order; a trailing `?` makes one optional. */
  positionals: readonly string[];
  /** Flag name (without `--`) → whether it takes a value. */
  flags: Readonly<Record<string, "value" | "switch">>;
  /** Single-letter aliases, e.g. `{ f: "follow" }`. */
  aliases?: Readonly<Record<string, string>>;
}

export interface ParsedArguments {
  positionals: Record<string, string | undefined>;
  values: Record<string, string | undefined>;
  switches: Set<string>;
}

export function parseArguments(argv: readonly string[], spec: ArgumentSpec): ParsedArguments {
  const words: string[] = [];
  const values: Record<string, string | undefined> = {};
  const switches = new Set<string>();
  const args = [...argv];
  let flagsEnded = false;
  while (args.length) {
    const arg = args.shift()!;
    if (flagsEnded || !arg.startsWith("-") || arg === "-") {
      words.push(arg);
      continue;
    }
    if (arg === "--") {
      flagsEnded = true;
      continue;
    }
    const equals = arg.indexOf("=");
    let name = arg.startsWith("--") ? arg.slice(2, equals > 0 ? equals : undefined) : arg.slice(1);
    if (!arg.startsWith("--")) name = spec.aliases?.[name] ?? `-${name}`;
    const kind = spec.flags[name];
    if (!kind) throw new CliUsageError(`unknown option ${arg}`);
    if (kind === "switch") {
      if (equals > 0) throw new CliUsageError(`--${name} takes no value`);
      switches.add(name);
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : args.shift();
    if (value === undefined || value === "") throw new CliUsageError(`--${name} needs a value`);
    values[name] = value;
  }
  const positionals: Record<string, string | undefined> = {};
  const required = spec.positionals.filter((p) => !p.endsWith("?")).length;
  if (words.length < required) throw new CliUsageError(`missing ${spec.positionals.slice(words.length).filter((p) => !p.endsWith("?")).join(" ")}`);
  if (words.length > spec.positionals.length) throw new CliUsageError(`unexpected argument ${JSON.stringify(words[spec.positionals.length])}`);
  spec.positionals.forEach((name, i) => (positionals[name.replace(/\?$/, "")] = words[i]));
  return { positionals, values, switches };
}

/** A flag's value as a whole number, or undefined when the flag was not given. */
export function wholeNumber(args: ParsedArguments, flag: string): number | undefined {
  const text = args.values[flag];
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new CliUsageError(`--${flag} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}
