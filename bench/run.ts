/**
 * Runs the benchmark suite against the compiled binary (build it first: `npm run bench` does both)
 * and rewrites BENCHMARKS.md with the table, the command, the machine and the date.
 *
 *   bun bench/run.ts                 every benchmark
 *   bun bench/run.ts startup scale   only these (startup, read-path, refresh, streaming, scale, catalogue, events, console)
 *   bun bench/run.ts --no-write      print the table only
 *
 * A single benchmark run rewrites BENCHMARKS.md with its rows only, and says so in the file.
 * Environment: BENCH_REFRESH_FAITHFUL=1 makes the refresh benchmark call the bun fake for every
 * `tart ip` (slow: see the refresh notes); BENCH_*_ROUNDS and friends shorten or lengthen rounds.
 */
import { existsSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { BINARY } from "../test/support/server-process.ts";
import { catalogueBench } from "./catalogue.ts";
import { consoleBench } from "./console.ts";
import { eventsBench } from "./events.ts";
import { ROOT, type BenchResult, type Row } from "./lib.ts";
import { readPathBench } from "./read-path.ts";
import { refreshBench } from "./refresh.ts";
import { scaleBench } from "./scale.ts";
import { startupBench } from "./startup.ts";
import { streamingBench } from "./streaming.ts";

const BENCHMARKS: Record<string, () => Promise<BenchResult>> = {
  startup: startupBench,
  "read-path": readPathBench,
  refresh: () => refreshBench(),
  streaming: streamingBench,
  scale: scaleBench,
  catalogue: catalogueBench,
  events: eventsBench,
  console: consoleBench,
};

const args = process.argv.slice(2);
const write = !args.includes("--no-write");
const chosen = args.filter((a) => !a.startsWith("--"));
for (const name of chosen) {
  if (!BENCHMARKS[name]) {
    console.error(`unknown benchmark ${name}; choose from ${Object.keys(BENCHMARKS).join(", ")}`);
    process.exit(2);
  }
}
if (!existsSync(BINARY)) {
  console.error(`${BINARY} is missing: run \`bun build.ts\` first (npm run bench does)`);
  process.exit(2);
}

const names = chosen.length ? chosen : Object.keys(BENCHMARKS);
const results: BenchResult[] = [];
const started = performance.now();
for (const name of names) {
  process.stderr.write(`${name}…\n`);
  const t0 = performance.now();
  try {
    results.push(await BENCHMARKS[name]!());
  } catch (error) {
    results.push({
      name,
      rows: [{ benchmark: name, metric: "did not complete", figure: String((error as Error).message).split("\n")[0]!, reference: "–", ratio: "–", target: "–", met: false }],
      notes: [],
    });
  }
  process.stderr.write(`${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
const seconds = (performance.now() - started) / 1000;

const mark = (met: boolean | null) => (met === null ? "" : met ? "yes" : "**no**");
const escape = (text: string) => text.replace(/\|/g, "\\|");
const rows: Row[] = results.flatMap((r) => r.rows);
const header = "| benchmark | measure | figure | reference | ratio | target | met? |\n| --- | --- | --- | --- | --- | --- | --- |";
const table = [
  header,
  ...rows.map((r) => `| ${[r.benchmark, r.metric, r.figure, r.reference, r.ratio, r.target, mark(r.met)].map(escape).join(" | ")} |`),
].join("\n");

const bunVersion = Bun.version;
const cpu = cpus()[0]?.model ?? "unknown CPU";
const command = `bun bench/run.ts${args.length ? ` ${args.join(" ")}` : ""}`;
const machine = `${availableParallelism()} cores (nproc), ${cpu}, ${(totalmem() / 1073741824).toFixed(0)} GB; bun ${bunVersion}; ${process.platform}`;
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const unmet = rows.filter((r) => r.met === false).length;

console.log(table);
console.log(`\n${rows.filter((r) => r.met === true).length} targets met, ${unmet} not met · ${seconds.toFixed(0)} s · ${machine}`);

if (write) {
  const doc = `# Benchmarks

Produced by \`${command}\` (\`npm run bench\` builds the binary first, then runs this) on ${date}, in ${seconds.toFixed(0)} s.
Machine: ${machine}. ${chosen.length ? `**Only ${names.join(", ")} ran**: run \`npm run bench\` for the whole table.` : ""}

Every figure is measured against the compiled binary (\`dist/taartenfabriek\`) with a temp data dir
and the fake tart from \`test/support/fake-tart\`, next to its reference measured in the same run.
Figures are the median of several rounds; ± is the spread of the rounds ((max − min) / median).
This machine is shared: absolute figures move from run to run, the ratios much less. Bold **no**
marks a target not met; the notes say what stands in the way.

${table}

## How each figure was measured

${results.flatMap((r) => r.notes.map((n) => `- ${n}`)).join("\n")}

## Load and soak

\`bun bench/soak.ts\` (issue 4; not part of this table): 200 concurrent clients mixing reads and
operations plus 100 websocket subscribers against the compiled binary for 60 s
(\`--seconds N\` to shorten it); it prints errors (must be 0), p99 latency and the server's memory
before and after.
`;
  writeFileSync(join(ROOT, "BENCHMARKS.md"), doc);
  console.log(`wrote BENCHMARKS.md`);
}
// Unmet targets are findings, not failures; a benchmark that could not complete is.
process.exit(rows.some((r) => r.metric === "did not complete") ? 1 : 0);
