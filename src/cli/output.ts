/**
 * Where the CLI writes: results on stdout (a table for people, JSON with `--json` for scripts),
 * task logs, progress and errors on stderr, so `--json` output and piped results stay clean.
 * Whether stderr is a terminal decides if a progress bar is drawn (redrawn in place with `\r`)
 * or only plain lines are written.
 */
export class Output {
  constructor(
    readonly json: boolean,
    readonly interactive: boolean,
    private readonly stdout: (text: string) => void = (text) => void process.stdout.write(text),
    private readonly stderr: (text: string) => void = (text) => void process.stderr.write(text),
  ) {}

  static forProcess(json: boolean): Output {
    return new Output(json, Boolean(process.stderr.isTTY) && !json);
  }

  /** A result line (people) — nothing in `--json` mode, where `data` is the whole answer. */
  line(text: string): void {
    if (!this.json) this.stdout(`${text}\n`);
  }

  /** The answer for scripts in `--json` mode. */
  data(value: unknown): void {
    if (this.json) this.stdout(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Progress and log lines, never on stdout. */
  note(text: string): void {
    this.stderr(text);
  }

  /** Columns padded to the widest cell; the last column is not padded. */
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
    const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)));
    const format = (row: readonly string[]) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
    this.line([format(headers), ...rows.map(format)].join("\n"));
  }
}

/** `—` for what is unknown, so a table's columns never collapse. */
export const cell = (value: unknown): string => (value === null || value === undefined || value === "" ? "-" : String(value));
