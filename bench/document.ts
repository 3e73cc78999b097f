/**
 * BENCHMARKS.md as data: parse the document a previous run wrote, replace the sections of the
 * benchmarks this run measured, keep every other benchmark's section as it was, and render the
 * whole again. Pure (text in, text out), so a partial run (`bun bench/run.ts console`) cannot
 * shrink the file to its own rows, and the merge is unit-tested (test/unit/bench-document.test.ts).
 *
 * Layout: a header table says which benchmark was measured when, by which command, on which
 * machine; then one `## <name>` section per benchmark (its rows, then how they were measured).
 * The name is the one `bun bench/run.ts NAME` takes, which is what ties a section to its run.
 */
import type { BenchResult, Row } from "./lib.ts";

/** One benchmark's part of the document: when and how it was measured, its rows and notes. */
export interface Section {
  name: string;
  date: string;
  command: string;
  took: string;
  machine: string;
  /** Table lines as rendered (kept verbatim for benchmarks this run did not measure). */
  rows: string[];
  notes: string[];
}

/** What one run of bench/run.ts measured. */
export interface Run {
  results: (BenchResult & { seconds: number })[];
  date: string;
  command: string;
  machine: string;
}

export const TABLE_HEADER = "| benchmark | measure | figure | reference | ratio | target | met? |\n| --- | --- | --- | --- | --- | --- | --- |";
const META_HEADER = "| benchmark | measured (UTC) | command | took | machine |\n| --- | --- | --- | --- | --- |";
const META_MARK = "| benchmark | measured (UTC) |";

const mark = (met: boolean | null) => (met === null ? "" : met ? "yes" : "**no**");
const escape = (text: string) => text.replace(/\|/g, "\\|");
const cells = (values: string[]) => `| ${values.map(escape).join(" | ")} |`;

export function renderRow(r: Row): string {
  return cells([r.benchmark, r.metric, r.figure, r.reference, r.ratio, r.target, mark(r.met)]);
}

export function renderTable(rows: Row[]): string {
  return [TABLE_HEADER, ...rows.map(renderRow)].join("\n");
}

/** Splits a table line into its cells, honouring `\|` inside a cell. */
function splitCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, "|"));
}

const isTableLine = (line: string) => line.startsWith("|") && !/^\|\s*(benchmark|---)/.test(line);

/**
 * Documents written before per-benchmark sections (one table, one date for everything) named
 * their rows and notes by these labels; used only to carry such a document's figures over.
 */
const LEGACY_LABELS: Record<string, string> = {
  startup: "start-up",
  "read-path": "read path",
  refresh: "refresh",
  streaming: "streaming",
  scale: "scale",
  catalogue: "catalogue",
  events: "events",
  console: "console",
  clusters: "clusters",
};

function parseLegacy(doc: string): Section[] {
  const lines = doc.split("\n");
  const produced = /Produced by `([^`]+)`.* on (\S+), in (\d+) s\./.exec(doc);
  const machine = /^Machine: (.*?)\.(?: |$)/m.exec(doc)?.[1] ?? "unknown";
  const rows = lines.filter(isTableLine);
  const notes = lines.filter((l) => l.startsWith("- ")).map((l) => l.slice(2));
  const labelOf = (text: string) => Object.entries(LEGACY_LABELS).find(([, label]) => text.startsWith(label))?.[0] ?? "earlier";
  const sections = new Map<string, Section>();
  const sectionFor = (name: string) => {
    let section = sections.get(name);
    if (!section) {
      section = {
        name,
        date: produced?.[2] ?? "unknown",
        command: produced?.[1] ?? "unknown",
        took: produced ? `${produced[3]} s (whole run)` : "unknown",
        machine,
        rows: [],
        notes: [],
      };
      sections.set(name, section);
    }
    return section;
  };
  // A row or note no label claims is kept under "earlier" rather than lost.
  for (const row of rows) sectionFor(labelOf(splitCells(row)[0]!)).rows.push(row);
  for (const note of notes) sectionFor(labelOf(note)).notes.push(note);
  return [...sections.values()];
}

/** The sections of a document this module (or, for the old layout, bench/run.ts before it) wrote. */
export function parseDocument(doc: string): Section[] {
  if (!doc.includes(META_MARK)) return parseLegacy(doc);
  const lines = doc.split("\n");
  const start = lines.findIndex((l) => l.startsWith(META_MARK));
  const sections: Section[] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith("|"); i++) {
    const [name, date, command, took, machine] = splitCells(lines[i]!);
    sections.push({ name: name!, date: date!, command: command!.replace(/^`|`$/g, ""), took: took!, machine: machine!, rows: [], notes: [] });
  }
  let current: Section | undefined;
  for (const line of lines.slice(start)) {
    const heading = /^## (\S+)\s*$/.exec(line);
    if (heading) current = sections.find((s) => s.name === heading[1]);
    else if (line.startsWith("## ")) current = undefined;
    else if (current && isTableLine(line)) current.rows.push(line);
    else if (current && line.startsWith("- ")) current.notes.push(line.slice(2));
  }
  return sections;
}

function sectionOf(result: BenchResult & { seconds: number }, run: Run): Section {
  return {
    name: result.name,
    date: run.date,
    command: run.command,
    took: `${result.seconds.toFixed(0)} s`,
    machine: run.machine,
    rows: result.rows.map(renderRow),
    notes: result.notes,
  };
}

export function renderDocument(sections: Section[]): string {
  const meta = sections.map((s) => cells([s.name, s.date, `\`${s.command}\``, s.took, s.machine]));
  const body = sections.map((s) => [`## ${s.name}`, "", TABLE_HEADER, ...s.rows, "", ...s.notes.map((n) => `- ${n}`)].join("\n"));
  return `# Benchmarks

\`npm run bench\` builds the binary and runs every benchmark (\`bun bench/run.ts\`); \`bun bench/run.ts NAME…\`
measures only those and replaces only their sections, so each benchmark below says when it was
measured, by which command, and on which machine:

${META_HEADER}
${meta.join("\n")}

Every figure is measured against the compiled binary (\`dist/taartenfabriek\`) with a temp data dir
and the fake tart from \`test/support/fake-tart\`, next to its reference measured in the same run.
Figures are the median of several rounds; ± is the spread of the rounds ((max − min) / median).
This machine is shared: absolute figures move from run to run, the ratios much less. Bold **no**
marks a target not met; the notes under each table say how it was measured and what stands in the way.

${body.join("\n\n")}

## Load and soak

\`bun bench/soak.ts\` (issue 4; not part of these tables): 200 concurrent clients mixing reads and
operations plus 100 websocket subscribers against the compiled binary for 60 s
(\`--seconds N\` to shorten it); it prints errors (must be 0), p99 latency and the server's memory
before and after.
`;
}

/**
 * The document after `run`: its benchmarks' sections replaced (or added), every other section of
 * `old` kept verbatim. Sections follow `order` (the registry's), then any the registry no longer has.
 */
export function mergeDocument(old: string | null, run: Run, order: readonly string[]): string {
  const byName = new Map<string, Section>();
  for (const s of old ? parseDocument(old) : []) byName.set(s.name, s);
  for (const r of run.results) byName.set(r.name, sectionOf(r, run));
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const sections = [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name));
  return renderDocument(sections);
}
