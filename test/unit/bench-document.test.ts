// BENCHMARKS.md merge: a partial run replaces only the sections of the benchmarks it ran.
import { describe, expect, test } from "bun:test";
import { mergeDocument, parseDocument, type Run } from "../../bench/document.ts";
import type { BenchResult, Row } from "../../bench/lib.ts";

const ORDER = ["startup", "read-path", "console", "clusters"];
const MACHINE = "2 cores (nproc), AMD EPYC, 24 GB; bun 1.4.5; linux";

const row = (benchmark: string, metric: string, figure: string, met: boolean | null = null): Row => ({
  benchmark,
  metric,
  figure,
  reference: "–",
  ratio: "–",
  target: "–",
  met,
});
const result = (name: string, rows: Row[], notes: string[], seconds = 12): BenchResult & { seconds: number } => ({ name, rows, notes, seconds });
const run = (date: string, command: string, ...results: Run["results"]): Run => ({ results, date, command, machine: MACHINE });

// The layout bench/run.ts wrote before per-benchmark sections: one table, one date.
const LEGACY = `# Benchmarks

Produced by \`bun bench/run.ts\` (\`npm run bench\` builds the binary first, then runs this) on 2026-12-01T22:37:05Z, in 775 s.
Machine: ${MACHINE}. 

| benchmark | measure | figure | reference | ratio | target | met? |
| --- | --- | --- | --- | --- | --- | --- |
| start-up | exec → first 200 on GET /api/health | 65.9 ms (±33%, n=7) | 20.5 ms | 3.21x | ≤ 2x and < 150 ms | **no** |
| read path (500 VMs) | GET /api/vms throughput | 8006 req/s | 10792 req/s | 0.74x | ≥ 0.60x | yes |
| mystery | a row no label claims | 1 ms | – | – | – |  |

## How each figure was measured

- start-up: compiled binary vs bare serve.
- read path: wrk, 3 rounds.

## Load and soak

text
`;

describe("BENCHMARKS.md merge", () => {
  test("a partial run over the old one-table layout keeps every other row and note, dated by the old run", () => {
    const doc = mergeDocument(LEGACY, run("2026-12-02T02:00:00Z", "bun bench/run.ts console", result("console", [row("console", "RFB round trip", "0.40 ms", true)], ["console: proxy vs TCP."])), ORDER);
    const sections = parseDocument(doc);
    expect(sections.map((s) => s.name)).toEqual(["startup", "read-path", "console", "earlier"]);
    const [startup, readPath, console, earlier] = sections;
    expect(startup!.rows).toEqual(["| start-up | exec → first 200 on GET /api/health | 65.9 ms (±33%, n=7) | 20.5 ms | 3.21x | ≤ 2x and < 150 ms | **no** |"]);
    expect(startup!.notes).toEqual(["start-up: compiled binary vs bare serve."]);
    expect(startup).toMatchObject({ date: "2026-12-01T22:37:05Z", command: "bun bench/run.ts", took: "775 s (whole run)", machine: MACHINE });
    expect(readPath!.notes).toEqual(["read path: wrk, 3 rounds."]);
    expect(console).toMatchObject({ date: "2026-12-02T02:00:00Z", command: "bun bench/run.ts console", took: "12 s" });
    expect(console!.rows).toEqual(["| console | RFB round trip | 0.40 ms | – | – | – | yes |"]);
    expect(earlier!.rows).toHaveLength(1); // not lost, only unattributed
    // The header says which benchmark was measured when.
    expect(doc).toContain("| startup | 2026-12-01T22:37:05Z | `bun bench/run.ts` | 775 s (whole run) |");
    expect(doc).toContain("| console | 2026-12-02T02:00:00Z | `bun bench/run.ts console` | 12 s |");
    expect(doc).toContain("## Load and soak");
  });

  test("a second partial run replaces its own section and leaves the others byte for byte", () => {
    const first = mergeDocument(
      null,
      run(
        "2026-12-02T01:00:00Z",
        "bun bench/run.ts",
        result("startup", [row("start-up", "exec → 200", "60 ms", false)], ["start-up: one."]),
        result("console", [row("console", "round trip", "0.5 ms", true)], ["console: old note."]),
      ),
      ORDER,
    );
    const second = mergeDocument(first, run("2026-12-02T03:00:00Z", "bun bench/run.ts clusters console", result("clusters", [row("clusters (2,000 VMs)", "list p50", "9 ms")], ["clusters: fake controller."]), result("console", [row("console", "round trip", "0.3 ms", true)], ["console: new note."])), ORDER);
    const [startup, console, clusters] = parseDocument(second);
    expect(startup).toEqual(parseDocument(first)[0]!);
    expect(startup!.date).toBe("2026-12-02T01:00:00Z");
    expect(console!.rows).toEqual(["| console | round trip | 0.3 ms | – | – | – | yes |"]);
    expect(console!.notes).toEqual(["console: new note."]); // the old note went with the old rows
    expect(console!.date).toBe("2026-12-02T03:00:00Z");
    expect(clusters!.name).toBe("clusters");
    expect(second).not.toContain("0.5 ms");
    expect(second).not.toContain("old note");
    // Merging nothing new changes nothing: parse and render are each other's inverse.
    expect(mergeDocument(second, run("2026-12-02T04:00:00Z", "bun bench/run.ts --no-write"), ORDER)).toBe(second);
  });

  test("a cell holding a pipe survives the round trip, and a benchmark no longer registered is kept last", () => {
    const doc = mergeDocument(null, run("2026-12-02T01:00:00Z", "bun bench/run.ts old startup", result("old", [row("old", "a | b", "1 ms")], ["old: gone from the registry."]), result("startup", [row("start-up", "x", "2 ms")], [])), ORDER);
    expect(doc).toContain("| old | a \\| b | 1 ms |");
    const sections = parseDocument(doc);
    expect(sections.map((s) => s.name)).toEqual(["startup", "old"]);
    expect(mergeDocument(doc, run("2026-12-02T02:00:00Z", "x"), ORDER)).toBe(doc);
  });
});
