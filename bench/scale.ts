/**
 * Scale: the same server with 500 and with 2,000 VMs in `tart list` (100 running in both, the
 * refresh benchmark's knobs and light `tart ip`), both up at once and measured alternately:
 * refresh time and `GET /api/vms` under 50 connections. The 2,000-VM figures must stay within 3x of
 * the 500-VM ones. Each size also gets its bare reference serving its own bytes, which shows what
 * the 4x larger body alone costs.
 */
import { kb, median, ms, ratio, say, withSpread, type BenchResult, type Row } from "./lib.ts";
import { measureReadPath, READ_SEED, waitForSettledInventory, type ReadPathFigures } from "./read-path.ts";
import { REFRESH_KNOBS, refreshEnv, timedRefresh } from "./refresh.ts";
import { startSeededServer, type SeededServer } from "./seeded.ts";

const SIZES = [500, 2000] as const;
const RUNNING = 100;
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 2);

export async function scaleBench(): Promise<BenchResult> {
  const servers: SeededServer[] = [];
  try {
    for (const size of SIZES) servers.push(await startSeededServer({ local: size, running: RUNNING, oci: 0 }, REFRESH_KNOBS, refreshEnv(false)));
    for (const [i, size] of SIZES.entries()) await waitForSettledInventory(servers[i]!.server, size);

    const refresh: number[][] = SIZES.map(() => []);
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [i, size] of SIZES.entries()) {
        const s = servers[i]!;
        const t = await timedRefresh(s.server, s.tartHome, size);
        if (round > 0) refresh[i]!.push(t);
        await Bun.sleep(200);
      }
      if (round > 0) say(`scale refresh round ${round}: ${SIZES.map((size, i) => `${size} VMs ${ms(refresh[i]!.at(-1)!)}`).join(" · ")}`);
    }
    // Reads on servers of their own (2 running, as in the read-path benchmark), one at a time: a
    // second server's 100-VM background refresh would otherwise load the CPU in the middle of them.
    for (const s of servers.splice(0)) await s.stop();
    const reads: ReadPathFigures[] = [];
    for (const size of SIZES) {
      const reader = await startSeededServer(READ_SEED(size), { argv_log: false });
      servers.push(reader);
      reads.push(await measureReadPath(reader.server, size, 2, 3));
      await reader.stop();
      servers.pop();
    }

    const [small, large] = [0, 1] as const;
    const refreshRatio = median(refresh[large]!) / median(refresh[small]!);
    const p50 = (f: ReadPathFigures) => median(f.server.map((x) => x.p50));
    const p99 = (f: ReadPathFigures) => median(f.server.map((x) => x.p99));
    const rps = (f: ReadPathFigures) => median(f.server.map((x) => x.rps));
    const refP50 = (f: ReadPathFigures) => median(f.reference.map((x) => x.p50));
    const label = "scale (2,000 vs 500 VMs)";
    const rows: Row[] = [
      {
        benchmark: label,
        metric: `POST /api/vms/refresh (${RUNNING} running)`,
        figure: withSpread(refresh[large]!, ms),
        reference: `${withSpread(refresh[small]!, ms)} at 500`,
        ratio: ratio(median(refresh[large]!), median(refresh[small]!)),
        target: "≤ 3x",
        met: refreshRatio <= 3,
      },
      {
        benchmark: label,
        metric: "GET /api/vms p50, 50 conns",
        figure: withSpread(reads[large]!.server.map((x) => x.p50), ms),
        reference: `${withSpread(reads[small]!.server.map((x) => x.p50), ms)} at 500`,
        ratio: ratio(p50(reads[large]!), p50(reads[small]!)),
        target: "≤ 3x",
        met: p50(reads[large]!) / p50(reads[small]!) <= 3,
      },
      {
        benchmark: label,
        metric: "GET /api/vms p99, 50 conns",
        figure: withSpread(reads[large]!.server.map((x) => x.p99), ms),
        reference: `${withSpread(reads[small]!.server.map((x) => x.p99), ms)} at 500`,
        ratio: ratio(p99(reads[large]!), p99(reads[small]!)),
        target: "≤ 3x",
        met: p99(reads[large]!) / p99(reads[small]!) <= 3,
      },
      {
        benchmark: label,
        metric: "bare reference p50 for the same bodies (what the body size alone costs)",
        figure: `${ms(refP50(reads[large]!))} (${kb(reads[large]!.bytes)})`,
        reference: `${ms(refP50(reads[small]!))} (${kb(reads[small]!.bytes)}) at 500`,
        ratio: ratio(refP50(reads[large]!), refP50(reads[small]!)),
        target: "–",
        met: null,
      },
      {
        benchmark: label,
        metric: "GET /api/vms throughput vs its bare reference, at 2,000",
        figure: `${rps(reads[large]!).toFixed(0)} req/s`,
        reference: `${median(reads[large]!.reference.map((x) => x.rps)).toFixed(0)} req/s`,
        ratio: ratio(rps(reads[large]!), median(reads[large]!.reference.map((x) => x.rps))),
        target: "–",
        met: null,
      },
    ];
    return {
      name: "scale",
      rows,
      notes: [
        `scale: two servers up at once (500 and 2,000 local VMs, ${RUNNING} running in each, list 50 ms, light \`tart ip\` 100 ms as in the refresh benchmark), refreshes alternated between them for ${ROUNDS} rounds after a warm-up; then, one at a time, a server of each size with 2 running VMs for GET /api/vms under wrk (2 rounds of 3 s, alternating with a bare reference serving that server's bytes). The body grows 4x (${kb(reads[small]!.bytes)} → ${kb(reads[large]!.bytes)}), so transfer-bound latency grows with it even for the bare reference.`,
      ],
    };
  } finally {
    for (const s of servers) await s.stop();
  }
}
