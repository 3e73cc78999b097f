// A small swift-argument-parser 1.6.1 look-alike: enough of its tokenising, value
// conversion, check order and error texts (spec §1.3, sap UsageGenerator.swift) that a
// wrapper sees the same stderr and exit 64 as with real tart. Not a general parser:
// only the shapes tart's commands use (long/short options, flags, repeatable options,
// positionals, one variadic positional, `--`).
import { UsageError } from "./errors.ts";

export type ValueType = "string" | "uint16" | "uint64" | { oneOf: string[]; caseInsensitive?: boolean };

export interface OptionDef {
  long: string;
  short?: string;
  /** A flag takes no value; `--flag=x` is an error. */
  flag?: boolean;
  type?: ValueType;
  valueName?: string;
  help: string;
  hidden?: boolean;
}

export interface ArgumentDef {
  name: string;
  help: string;
  variadic?: boolean;
  /** sap's `.captureForPassthrough`: from its first token on, everything is taken as is (`tart exec`). */
  passthrough?: boolean;
}

export interface CommandDef {
  name: string;
  abstract: string;
  synopsis: string;
  options: OptionDef[];
  args: ArgumentDef[];
  hidden?: boolean;
}

export interface Parsed {
  /** Every value given for an option, by long name, in order (the last one wins for scalars). */
  values: Map<string, string[]>;
  flags: Set<string>;
  args: string[];
  help: boolean;
  version: boolean;
  /** Unknown options and surplus arguments: reported only after validate(), as sap does. */
  late: UsageError | null;
}

export function value(p: Parsed, long: string): string | undefined {
  return p.values.get(long)?.at(-1);
}

const isOptionToken = (t: string) => t.startsWith("-") && t.length > 1;

function convert(type: ValueType | undefined, raw: string): string | null {
  if (type === undefined || type === "string") return raw;
  if (type === "uint16" || type === "uint64") {
    // Swift's integer init accepts an optional sign; a UInt rejects any negative value.
    if (!/^\+?[0-9]+$/.test(raw)) return null;
    const n = BigInt(raw.replace("+", ""));
    const max = type === "uint16" ? 65535n : 18446744073709551615n;
    return n <= max ? n.toString() : null;
  }
  const hit = type.oneOf.find((v) => (type.caseInsensitive ? v.toLowerCase() === raw.toLowerCase() : v === raw));
  return hit ?? null;
}

function valueList(type: ValueType | undefined): string {
  if (!type || typeof type === "string") return "";
  const q = type.oneOf.map((v) => `'${v}'`);
  const list = q.length <= 2 ? q.join(" and ") : `${q.slice(0, -1).join(", ")} or ${q.at(-1)}`;
  return `. Please provide one of ${list}.`;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function unknownOption(def: CommandDef, name: string): UsageError {
  if (name.length === 2) return new UsageError(`Unknown option '${name}'`, def.name);
  let best: string | undefined;
  let bestDist = 4; // sap's SIMILARITY_FLOOR: suggest only below this distance
  for (const o of def.options) {
    const d = editDistance(`--${o.long}`, name);
    if (d < bestDist) [best, bestDist] = [`--${o.long}`, d];
  }
  const hint = best ? `. Did you mean '${best}'?` : "";
  return new UsageError(`Unknown option '${name}'${hint}`, def.name);
}

export function parseArgs(def: CommandDef, argv: string[]): Parsed {
  const p: Parsed = { values: new Map(), flags: new Set(), args: [], help: false, version: false, late: null };
  const unknown: string[] = [];
  let afterDashes = false;
  const passthroughAt = def.args.findIndex((a) => a.passthrough);

  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (afterDashes || !isOptionToken(tok)) {
      p.args.push(tok);
      if (passthroughAt >= 0 && p.args.length > passthroughAt) afterDashes = true;
      continue;
    }
    if (tok === "--") {
      afterDashes = true;
      continue;
    }
    if (tok === "--help" || tok === "-h") {
      p.help = true;
      continue;
    }
    if (tok === "--version") {
      p.version = true;
      continue;
    }
    const eq = tok.startsWith("--") ? tok.indexOf("=") : -1;
    const name = eq >= 0 ? tok.slice(0, eq) : tok;
    const opt = name.startsWith("--")
      ? def.options.find((o) => `--${o.long}` === name)
      : def.options.find((o) => o.short !== undefined && `-${o.short}` === name);
    if (!opt) {
      unknown.push(name);
      continue;
    }
    if (opt.flag) {
      if (eq >= 0)
        throw new UsageError(
          `The option '${name}' does not take any value, but '${tok.slice(eq + 1)}' was specified.`,
          def.name,
        );
      p.flags.add(opt.long);
      continue;
    }
    const label = `${name} <${opt.valueName ?? opt.long}>`;
    let raw: string;
    if (eq >= 0) raw = tok.slice(eq + 1);
    else {
      const next = argv[i + 1];
      // sap never takes a token that looks like an option (`-1`, `-foo`, `--`) as a value.
      if (next === undefined || isOptionToken(next))
        throw new UsageError(`Missing value for '${label}'`, def.name, `${label}  ${opt.help}`);
      raw = next;
      i++;
    }
    const v = convert(opt.type, raw);
    if (v === null)
      throw new UsageError(
        `The value '${raw}' is invalid for '${label}'${valueList(opt.type)}`,
        def.name,
        `${label}  ${opt.help}`,
      );
    const list = p.values.get(opt.long) ?? [];
    list.push(v);
    p.values.set(opt.long, list);
  }

  if (p.help || p.version) return p;

  const required = def.args.length;
  if (p.args.length < required) {
    const missing = def.args[p.args.length]!;
    const syn = `<${missing.name}>${missing.variadic ? " ..." : ""}`;
    throw new UsageError(`Missing expected argument '${syn}'`, def.name, `<${missing.name}>  ${missing.help}`);
  }

  const variadic = def.args.at(-1)?.variadic ?? false;
  const surplus = variadic ? [] : p.args.slice(required);
  if (unknown.length > 0) p.late = unknownOption(def, unknown[0]!);
  else if (surplus.length === 1) p.late = new UsageError(`Unexpected argument '${surplus[0]}'`, def.name);
  else if (surplus.length > 1)
    p.late = new UsageError(`${surplus.length} unexpected arguments: '${surplus.join("', '")}'`, def.name);
  return p;
}

/** `--help` text in sap's layout (OVERVIEW / USAGE / ARGUMENTS / OPTIONS). */
export function helpText(def: CommandDef): string {
  const row = (label: string, help: string) =>
    label.length + 2 <= 24 ? `  ${label.padEnd(24)}${help}` : `  ${label}\n${" ".repeat(26)}${help}`;
  const lines = [`OVERVIEW: ${def.abstract}`, "", `USAGE: tart ${def.synopsis}`, ""];
  if (def.args.length) {
    lines.push("ARGUMENTS:");
    for (const a of def.args) lines.push(row(`<${a.name}>`, a.help));
    lines.push("");
  }
  lines.push("OPTIONS:");
  for (const o of def.options.filter((o) => !o.hidden)) {
    const names = o.short ? `-${o.short}, --${o.long}` : `--${o.long}`;
    lines.push(row(o.flag ? names : `${names} <${o.valueName ?? o.long}>`, o.help));
  }
  lines.push(row("--version", "Show the version."), row("-h, --help", "Show help information."), "");
  return lines.join("\n");
}
