/**
 * The token-free catalogue: `GET /api/vms/available-images` cold (a fresh data dir, nothing
 * cached: the server asks the registry while the request waits) and warm (everything cached),
 * against the fake GHCR of test/support/fake-ghcr.ts filled with every built-in repository at
 * 40 tags each, once answering at once and once with 40 ms per request (about a round trip to
 * ghcr.io from Europe). The requests the registry saw are counted per call. Reference: a bare
 * `Bun.serve` returning the very bytes the warm server answered (bench/reference/bare-serve.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CURATED_IMAGES } from "../src/adapters/catalogue/curated-images.ts";
import { startFakeGhcr, type FakeGhcr, type FakeImage, type FakeRepository } from "../test/support/fake-ghcr.ts";
import { startServer, type TestServer } from "../test/support/server-process.ts";
import { median, ms, percentile, ratio, say, startReference, withSpread, type BenchResult, type Row } from "./lib.ts";

const ROUNDS = Number(process.env.BENCH_CATALOGUE_ROUNDS ?? 3);
const WARM_CALLS = Number(process.env.BENCH_CATALOGUE_WARM_CALLS ?? 200);
const TAGS_PER_REPOSITORY = 40;
const GB = 1e9;
const ROUTE = "/api/vms/available-images";

/** Every built-in repository with `latest` and 39 dated version tags, as Cirrus Labs' look. */
function repositories(): FakeRepository[] {
  return CURATED_IMAGES.map((image, i) => {
    const tags: Record<string, FakeImage> = {};
    for (let t = 0; t < TAGS_PER_REPOSITORY - 1; t++) {
      const day = String(1 + (t % 28)).padStart(2, "0");
      tags[`2.${t}.${i}`] = { diskBytes: 50 * GB, compressedBytes: 20 * GB, uploadedAt: `2026-${String(1 + (t % 12)).padStart(2, "0")}-${day}T10:00:00Z` };
    }
    tags.latest = { diskBytes: 50 * GB, compressedBytes: 20 * GB, uploadedAt: "2026-11-20T10:00:00Z" };
    return { name: `cirruslabs/${image.name}`, tags };
  });
}

interface ColdRound {
  ms: number;
  /** Registry requests made while the cold call waited. */
  during: number;
  /** Registry requests until every image's newest tags have their manifest facts. */
  untilSettled: number;
}

async function timedGet(server: TestServer): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const response = await server.fetch(ROUTE);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${ROUTE}: ${response.status} ${body}`);
  return { ms: performance.now() - t0, body };
}

/** Waits until the background manifest reads have filled `latest` of every image. */
async function settled(server: TestServer): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const body = await (await server.fetch(ROUTE)).text();
    const images = JSON.parse(body) as { tag_details: Record<string, unknown>; error: string | null }[];
    if (images.every((image) => image.tag_details.latest && image.error === null)) return body;
    if (Date.now() > deadline) throw new Error("the catalogue never settled");
    await Bun.sleep(50);
  }
}

async function coldRound(ghcr: FakeGhcr): Promise<{ round: ColdRound; server: TestServer }> {
  const server = await startServer({ env: { TARTVM_GHCR_URL: ghcr.url }, args: [] });
  const before = ghcr.requests.length;
  const cold = await timedGet(server);
  const during = ghcr.requests.length - before;
  await settled(server);
  return { round: { ms: cold.ms, during, untilSettled: ghcr.requests.length - before }, server };
}

async function variant(label: string, delayMs: number): Promise<Row[]> {
  const ghcr = startFakeGhcr(repositories());
  ghcr.setModes({ delayMs });
  const colds: ColdRound[] = [];
  const warm: number[] = [];
  const reference: number[] = [];
  let warmRequests = 0;
  let bytes = 0;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const { round: cold, server } = await coldRound(ghcr);
      colds.push(cold);
      try {
        const body = await settled(server);
        bytes = Buffer.byteLength(body);
        const scratch = mkdtempSync(join(tmpdir(), "bench-catalogue-"));
        writeFileSync(join(scratch, "images.json"), body);
        const ref = await startReference("bare-serve.ts", ["--port", "0", "--route", ROUTE, "--token", server.token, "--file", join(scratch, "images.json")]);
        try {
          const refUrl = `http://127.0.0.1:${ref.port}${ROUTE}`;
          const headers = { "X-Local-Token": server.token };
          const before = ghcr.requests.length;
          // Interleaved, one request at a time: the latency of one call, not throughput.
          for (let i = 0; i < WARM_CALLS; i++) {
            warm.push((await timedGet(server)).ms);
            const t0 = performance.now();
            await (await fetch(refUrl, { headers })).text();
            reference.push(performance.now() - t0);
          }
          warmRequests += ghcr.requests.length - before;
        } finally {
          await ref.stop();
          rmSync(scratch, { recursive: true, force: true });
        }
      } finally {
        await server.stop();
      }
      say(`catalogue ${label} round ${round}: cold ${ms(cold.ms)} (${cold.during} registry requests, ${cold.untilSettled} until settled)`);
    }
  } finally {
    ghcr.stop();
  }
  const coldMs = colds.map((c) => c.ms);
  const refMedian = median(reference);
  const fmtCount = (values: number[]) => (Math.min(...values) === Math.max(...values) ? `${values[0]}` : `${Math.min(...values)}–${Math.max(...values)}`);
  return [
    {
      benchmark: `catalogue (${CURATED_IMAGES.length} images × ${TAGS_PER_REPOSITORY} tags, registry ${label})`,
      metric: `cold GET ${ROUTE} (empty data dir)`,
      figure: withSpread(coldMs, ms),
      reference: `${ms(refMedian)} (bare Bun, same ${(bytes / 1024).toFixed(1)} kB)`,
      ratio: ratio(median(coldMs), refMedian),
      target: "–",
      met: null,
    },
    {
      benchmark: `catalogue (registry ${label})`,
      metric: "registry requests: during the cold call / until every image has its manifest facts",
      figure: `${fmtCount(colds.map((c) => c.during))} / ${fmtCount(colds.map((c) => c.untilSettled))}`,
      reference: "–",
      ratio: "–",
      target: "–",
      met: null,
    },
    {
      benchmark: `catalogue (registry ${label})`,
      metric: `warm GET ${ROUTE}, p50 / p99 of ${WARM_CALLS * ROUNDS} sequential calls`,
      figure: `${ms(median(warm))} / ${ms(percentile(warm, 99))}`,
      reference: `${ms(refMedian)} / ${ms(percentile(reference, 99))}`,
      ratio: ratio(median(warm), refMedian),
      target: "–",
      met: null,
    },
    {
      benchmark: `catalogue (registry ${label})`,
      metric: "registry requests during the warm calls",
      figure: String(warmRequests),
      reference: "–",
      ratio: "–",
      target: "0",
      met: warmRequests === 0,
    },
  ];
}

export async function catalogueBench(): Promise<BenchResult> {
  const rows = [...(await variant("at once", 0)), ...(await variant("40 ms per request", 40))];
  return {
    name: "catalogue",
    rows,
    notes: [
      `catalogue: compiled binary with TARTVM_GHCR_URL at the fake GHCR (test/support/fake-ghcr.ts: anonymous token, tags/list paged by \`Link\`, Tart manifests), ${CURATED_IMAGES.length} built-in repositories of ${TAGS_PER_REPOSITORY} tags. ${ROUNDS} cold rounds, each a new server on an empty data dir timed from request to last byte; the registry's requests are counted while that call waits and until the background manifest reads have given every image's \`latest\` its size and date. Warm: ${WARM_CALLS} sequential calls per round on that server, each followed by one to a bare \`Bun.serve\` holding the identical body. The 40 ms variant delays every registry answer (token, tags, manifest) by 40 ms.`,
    ],
  };
}
