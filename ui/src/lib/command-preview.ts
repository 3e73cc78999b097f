/**
 * "Copy as tart …": the tart command lines a dialog's request will run, built by the server's
 * own argv builders (src/adapters/tart/tart-argv.ts, pure and bundled here as names.ts is), from
 * the same values the dialog sends. A field that does not hold a valid value yet shows as a
 * placeholder (`<name>`), since the server would refuse it and run nothing.
 */
import { cloneArgs, createArgs, pullArgs, runArgs, setArgs, shellQuote } from "../../../src/adapters/tart/tart-argv.ts";
import { gbToMiB } from "../../../src/domain/units.ts";
import { parseWholeNumber, validateOciReference } from "./validate.ts";
import { checkLocalName } from "../../../src/domain/names.ts";

// A placeholder travels through the builders as a marked string (they only String() their
// values), and is shown as `<field>` rather than quoted.
const MARK = "\u0000";
const hole = (field: string) => `${MARK}${field}${MARK}`;
const holeNumber = (field: string) => hole(field) as unknown as number;

/** One command line as a terminal takes it, placeholders shown as `<field>`. */
export function renderLine(args: readonly string[]): string {
  return ["tart", ...args.map((a) => (a.startsWith(MARK) ? `<${a.slice(1, -1)}>` : shellQuote(a)))].join(" ");
}

/** What the lines copy as: one line, each command run only when the one before succeeded (as the task does). */
export const copyText = (lines: readonly string[]): string => lines.join(" && ");

const localName = (name: string, field: string) => {
  try {
    return checkLocalName(name.trim() === name ? name : "", field);
  } catch {
    return hole(field);
  }
};

/** The Pull dialog: `tart pull REF`. */
export function pullCommands(reference: string): string[] {
  const ref = reference.trim();
  return [renderLine(pullArgs(ref && !validateOciReference(ref) ? ref : hole("reference")))];
}

export interface CreateFields {
  name: string;
  source: string;
  cpu: string;
  memory: string;
  disk: string;
}

/**
 * The Create dialog: `tart clone SOURCE NAME`, then `tart set NAME --cpu C --memory MiB
 * --disk-size GB` with memory turned from GB to tart's MiB, as the server turns it.
 */
export function createCommands(form: CreateFields): string[] {
  const name = localName(form.name, "name");
  const source = form.source || hole("source");
  const number = (text: string, field: string) => parseWholeNumber(text) ?? holeNumber(field);
  const memory = parseWholeNumber(form.memory);
  return [
    renderLine(cloneArgs(source, name)),
    renderLine(setArgs(name, { cpu: number(form.cpu, "cpu"), memoryMiB: memory === null ? holeNumber("memory") : gbToMiB(memory), diskSizeGB: number(form.disk, "disk") })),
  ];
}

export interface ScratchFields {
  name: string;
  os: "darwin" | "linux";
  ipsw: string;
  diskFormat: "raw" | "asif";
  cpu: string;
  memory: string;
  disk: string;
}

/**
 * The Create dialog from scratch: `tart create NAME --from-ipsw X|--linux --disk-size G
 * [--disk-format asif]`, then `tart set NAME --cpu C --memory MiB`, as the server runs them.
 */
export function scratchCommands(form: ScratchFields): string[] {
  const name = localName(form.name, "name");
  const number = (text: string, field: string) => parseWholeNumber(text) ?? holeNumber(field);
  const memory = parseWholeNumber(form.memory);
  const ipsw = form.ipsw.trim() || hole("ipsw");
  return [
    renderLine(
      createArgs(name, {
        ...(form.os === "darwin" ? { fromIpsw: ipsw } : { linux: true }),
        diskSizeGB: number(form.disk, "disk"),
        ...(form.diskFormat === "asif" ? { diskFormat: "asif" as const } : {}),
      }),
    ),
    // Empty cores and memory are tart's own: no `tart set` for them.
    ...(form.cpu.trim() || form.memory.trim()
      ? [
          renderLine(
            setArgs(name, {
              ...(form.cpu.trim() ? { cpu: number(form.cpu, "cpu") } : {}),
              ...(form.memory.trim() ? { memoryMiB: memory === null ? holeNumber("memory") : gbToMiB(memory) } : {}),
            }),
          ),
        ]
      : []),
  ];
}

/** The Clone dialog: `tart clone SOURCE NEW`, then, when asked, the start's `tart run`. */
export function cloneCommands(source: string, newName: string, startAfter: boolean): string[] {
  const name = localName(newName, "new-name");
  const lines = [renderLine(cloneArgs(source, name))];
  if (startAfter) lines.push(renderLine(runArgs(name)));
  return lines;
}
