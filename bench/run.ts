/**
 * Runs the benchmark suite against the compiled binary (build it first: `npm run bench` does both)
 * and writes their sections of BENCHMARKS.md (bench/document.ts), each with the command, the machine
 * and the date it was measured.
 *
 *   bun bench/run.ts                 every benchmark
 *   bun bench/run.ts startup scale   only these (startup, read-path, refresh, streaming, scale, catalogue, events, console, clusters)
 *   bun bench/run.ts --no-write      print the table only
 *
 * A partial run replaces only the sections of the benchmarks it ran and keeps every other one.
 * Environment: BENCH_REFRESH_FAITHFUL=1 makes the refresh benchmark call the bun fake for every
 * `tart ip` (slow: see the refresh notes); BENCH_*_ROUNDS and friends shorten or lengthen rounds.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { BINARY } from "../test/support/server-process.ts";
import { catalogueBench } from "./catalogue.ts";
import { clustersBench } from "./clusters.ts";
import { consoleBench } from "./console.ts";
import { mergeDocument, renderTable, type Run } from "./document.ts";
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
  clusters: clustersBench,
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
const results: Run["results"] = [];
const started = performance.now();
for (const name of names) {
  process.stderr.write(`${name}…\n`);
  const t0 = performance.now();
  try {
    results.push({ ...(await BENCHMARKS[name]!()), name, seconds: (performance.now() - t0) / 1000 });
  } catch (error) {
    results.push({
      name,
      seconds: (performance.now() - t0) / 1000,
      rows: [{ benchmark: name, metric: "did not complete", figure: String((error as Error).message).split("\n")[0]!, reference: "–", ratio: "–", target: "–", met: false }],
      notes: [],
    });
  }
  process.stderr.write(`${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
const seconds = (performance.now() - started) / 1000;

const rows: Row[] = results.flatMap((r) => r.rows);
const bunVersion = Bun.version;
const cpu = cpus()[0]?.model ?? "unknown CPU";
const command = `bun bench/run.ts${args.length ? ` ${args.join(" ")}` : ""}`;
const machine = `${availableParallelism()} cores (nproc), ${cpu}, ${(totalmem() / 1073741824).toFixed(0)} GB; bun ${bunVersion}; ${process.platform}`;
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const unmet = rows.filter((r) => r.met === false).length;

console.log(renderTable(rows));
console.log(`\n${rows.filter((r) => r.met === true).length} targets met, ${unmet} not met · ${seconds.toFixed(0)} s · ${machine}`);

if (write) {
  // Only the benchmarks that ran are replaced: the others keep their rows, notes and dates.
  const path = join(ROOT, "BENCHMARKS.md");
  const old = existsSync(path) ? readFileSync(path, "utf8") : null;
  writeFileSync(path, mergeDocument(old, { results, date, command, machine }, Object.keys(BENCHMARKS)));
  console.log(`wrote BENCHMARKS.md (${names.join(", ")} replaced)`);
}
// Unmet targets are findings, not failures; a benchmark that could not complete is.
process.exit(rows.some((r) => r.metric === "did not complete") ? 1 : 0);
