/**
 * Read path: `GET /api/vms` with N VMs in the inventory under 50 keep-alive connections (Debian's
 * `wrk`, one thread; a Bun keep-alive client if wrk is missing). Reference: a bare `Bun.serve`
 * returning the very bytes the server answered (bench/reference/bare-serve.ts). Rounds alternate
 * server and reference after a short warm-up of each.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestServer } from "../test/support/server-process.ts";
import { startSeededServer } from "./seeded.ts";
import { haveWrk, kb, loadTest, median, ms, ratio, say, startReference, withSpread, type BenchResult, type WrkResult } from "./lib.ts";

export const CONNECTIONS = 50;
const ROUND_SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_READ_ROUNDS ?? 3);

/** Waits until the background `tart get` fill has given every local VM its CPU count: the JSON is final. */
export async function waitForSettledInventory(server: TestServer, expected: number, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await server.fetch("/api/vms");
    const text = await response.text();
    const vms = JSON.parse(text) as { cpu: number | null; source: string }[];
    if (vms.length >= expected && vms.every((vm) => vm.source !== "local" || vm.cpu !== null)) {
      // Settled once two reads a little apart give the same bytes.
      await Bun.sleep(300);
      const again = await (await server.fetch("/api/vms")).text();
      if (again === text) return text;
    }
    if (Date.now() > deadline) throw new Error(`inventory not settled: ${vms.length} VMs, ${vms.filter((vm) => vm.cpu === null).length} without config`);
    await Bun.sleep(250);
  }
}

export interface ReadPathFigures {
  server: WrkResult[];
  reference: WrkResult[];
  bytes: number;
}

/** Load-tests GET /api/vms of a running server and of the bare reference serving the same bytes. */
export async function measureReadPath(server: TestServer, vmCount: number, rounds = ROUNDS, seconds = ROUND_SECONDS): Promise<ReadPathFigures> {
  const body = await waitForSettledInventory(server, vmCount);
  const scratch = mkdtempSync(join(tmpdir(), "bench-read-"));
  const file = join(scratch, "vms.json");
  writeFileSync(file, body);
  const reference = await startReference("bare-serve.ts", ["--port", "0", "--route", "/api/vms", "--token", server.token, "--file", file]);
  const headers = { "X-Local-Token": server.token };
  const serverUrl = `${server.base}/api/vms`;
  const refUrl = `http://127.0.0.1:${reference.port}/api/vms`;
  const check = await fetch(refUrl, { headers });
  if ((await check.text()) !== body) throw new Error("reference does not serve the same bytes");
  try {
    await loadTest(serverUrl, { connections: CONNECTIONS, seconds: 1, headers });
    await loadTest(refUrl, { connections: CONNECTIONS, seconds: 1, headers });
    const figures: ReadPathFigures = { server: [], reference: [], bytes: Buffer.byteLength(body) };
    for (let round = 1; round <= rounds; round++) {
      const s = await loadTest(serverUrl, { connections: CONNECTIONS, seconds, headers });
      const r = await loadTest(refUrl, { connections: CONNECTIONS, seconds, headers });
      if (s.errors || r.errors) throw new Error(`errors under load: server ${s.errors}, reference ${r.errors}`);
      figures.server.push(s);
      figures.reference.push(r);
      say(
        `GET /api/vms ${vmCount} VMs round ${round}: server ${s.rps.toFixed(0)} req/s p50 ${ms(s.p50)} p99 ${ms(s.p99)} · reference ${r.rps.toFixed(0)} req/s p50 ${ms(r.p50)} p99 ${ms(r.p99)}`,
      );
    }
    return figures;
  } finally {
    await reference.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function readPathRows(label: string, f: ReadPathFigures, withTargets: boolean): BenchResult["rows"] {
  const rps = f.server.map((x) => x.rps);
  const refRps = f.reference.map((x) => x.rps);
  const p50 = f.server.map((x) => x.p50);
  const p99 = f.server.map((x) => x.p99);
  const refP50 = f.reference.map((x) => x.p50);
  const refP99 = f.reference.map((x) => x.p99);
  const fmtRps = (v: number) => `${v.toFixed(0)} req/s`;
  return [
    {
      benchmark: label,
      metric: `GET /api/vms throughput, ${CONNECTIONS} conns (${kb(f.bytes)} body)`,
      figure: withSpread(rps, fmtRps),
      reference: withSpread(refRps, fmtRps),
      ratio: ratio(median(rps), median(refRps)),
      target: withTargets ? "≥ 0.60x" : "–",
      met: withTargets ? median(rps) / median(refRps) >= 0.6 : null,
    },
    {
      benchmark: label,
      metric: "GET /api/vms p50 latency",
      figure: withSpread(p50, ms),
      reference: withSpread(refP50, ms),
      ratio: ratio(median(p50), median(refP50)),
      target: "–",
      met: null,
    },
    {
      benchmark: label,
      metric: "GET /api/vms p99 latency",
      figure: withSpread(p99, ms),
      reference: withSpread(refP99, ms),
      ratio: ratio(median(p99), median(refP99)),
      target: withTargets ? "< 5 ms" : "–",
      met: withTargets ? median(p99) < 5 : null,
    },
  ];
}

export const READ_SEED = (local: number) => ({ local, running: 2, oci: 0 });

export async function readPathBench(): Promise<BenchResult> {
  const seeded = await startSeededServer(READ_SEED(500), { argv_log: false });
  try {
    const figures = await measureReadPath(seeded.server, 500);
    return {
      name: "read-path",
      rows: readPathRows("read path (500 VMs)", figures, true),
      notes: [
        `read path: ${haveWrk() ? "`wrk -t1 -c50 --latency`" : "Bun keep-alive client (wrk not installed)"}, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s after 1 s warm-ups; 500 local VMs (2 running, so the server's own looks at tart, a light reconcile a minute, stay small), measured once every VM's config was filled in (\`tart get\` answered from the fake's cached output, bench/support/tart-get-cache); the reference serves the identical ${kb(figures.bytes)} body.`,
      ],
    };
  } finally {
    await seeded.stop();
  }
}
