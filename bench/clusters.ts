/**
 * Orchard clusters at scale: `GET /api/clusters/{c}/vms` over the compiled binary against the
 * fake controller holding 2,000 VMs on 100 workers — latency of one reader (cold, then warm) and
 * of 50 concurrent readers polling for 10 s, and how many requests reached the controller for
 * them (the server coalesces the list: about one controller call a second, not one per reader).
 * Reference in the same run: `GET /v1/vms` asked of the controller directly.
 *
 *   bun build.ts && bun bench/run.ts clusters     (or `bun bench/clusters.ts`: print the rows only)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeOrchard } from "../test/support/fake-orchard/controller.ts";
import { startServer } from "../test/support/server-process.ts";
import { ms, percentile, say, type BenchResult } from "./lib.ts";

const VMS = 2000;
const WORKERS = 100;
const READERS = 50;
const SECONDS = 10;


const timed = async (read: () => Promise<Response>) => {
  const start = performance.now();
  const response = await read();
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return performance.now() - start;
};
const p50p99 = (values: number[]) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}`;

export async function clustersBench(): Promise<BenchResult> {
  const orchard = startFakeOrchard({ authDisabled: true, timings: { stepMs: 5 } });
  const home = mkdtempSync(join(tmpdir(), "bench-orchard-"));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    for (let w = 0; w < WORKERS; w++) orchard.cluster.addWorker(`worker-${String(w).padStart(3, "0")}`, { resources: { "org.cirruslabs.tart-vms": 20 } });
    for (let i = 0; i < VMS; i++) {
      await fetch(`${orchard.url}/v1/vms`, { method: "POST", body: JSON.stringify({ name: `vm-${String(i).padStart(4, "0")}`, image: "ghcr.io/cirruslabs/macos-sequoia-base:latest", cpu: 4, memory: 8192 }) });
    }
    await Bun.sleep(500); // let the scheduler place them
    mkdirSync(join(home, ".orchard"));
    writeFileSync(join(home, ".orchard", "orchard.yml"), `contexts:\n  farm:\n    url: ${orchard.url}\n`);
    server = await startServer({ binary: true, env: { ORCHARD_HOME: home } });
    const list = () => server!.fetch("/api/clusters/farm/vms");
    const controllerCalls = () => orchard.requests.filter((r) => r.path === "/v1/vms").length;

    const cold = await timed(list);
    const warm: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < 30; i++) {
      warm.push(await timed(list));
      direct.push(await timed(() => fetch(`${orchard.url}/v1/vms`)));
    }

    const before = controllerCalls();
    const perVmBefore = orchard.requests.filter((r) => /^\/v1\/vms\/vm-/.test(r.path)).length;
    const latencies: number[] = [];
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: READERS }, async () => {
        while (Date.now() < until) {
          latencies.push(await timed(list));
          await Bun.sleep(250); // a dashboard polls every 2 s; 4× that per reader
        }
      }),
    );
    const calls = controllerCalls() - before;
    const perVm = orchard.requests.filter((r) => /^\/v1\/vms\/vm-/.test(r.path)).length - perVmBefore;

    // The same readers as the pages poll: each sends back the ETag it last got.
    const conditional: number[] = [];
    let notModified = 0;
    let bodyBytes = 0;
    const conditionalUntil = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: READERS }, async () => {
        let etag: string | null = null;
        while (Date.now() < conditionalUntil) {
          const started = performance.now();
          const response = await server!.fetch("/api/clusters/farm/vms", { headers: etag ? { "if-none-match": etag } : {} });
          const length = (await response.arrayBuffer()).byteLength; // read first: `+=` across an await loses the others' adds
          bodyBytes += length;
          conditional.push(performance.now() - started);
          if (response.status === 304) notModified++;
          etag = response.headers.get("etag") ?? etag;
          await Bun.sleep(250);
        }
      }),
    );
    const bytes = (await (await list()).arrayBuffer()).byteLength;
    say(`clusters: warm p50 ${ms(percentile(warm, 50))} vs controller ${ms(percentile(direct, 50))}; ${READERS} readers: ${latencies.length} answers, ${calls} list calls`);

    const label = `clusters (${VMS.toLocaleString("en-US")} VMs, ${WORKERS} workers)`;
    return {
      name: "clusters",
      rows: [
        { benchmark: label, metric: `GET /api/clusters/{c}/vms, first (cold) call (${(bytes / 1024).toFixed(0)} kB)`, figure: ms(cold), reference: "–", ratio: "–", target: "–", met: null },
        {
          benchmark: label,
          metric: "same, one reader warm, p50 / p99 of 30",
          figure: p50p99(warm),
          reference: `${p50p99(direct)} (controller's GET /v1/vms)`,
          ratio: `${(percentile(warm, 50) / percentile(direct, 50)).toFixed(2)}x`,
          target: "–",
          met: null,
        },
        { benchmark: label, metric: `same, ${READERS} readers polling every 250 ms for ${SECONDS} s: p50 / p99 (${latencies.length} answers)`, figure: p50p99(latencies), reference: "–", ratio: "–", target: "–", met: null },
        {
          benchmark: label,
          metric: `same, each reader sending its last ETag (as the pages do): p50 / p99 (${conditional.length} answers)`,
          figure: p50p99(conditional),
          reference: `${p50p99(latencies)} without`,
          ratio: `${(percentile(conditional, 99) / percentile(latencies, 99)).toFixed(2)}x (p99)`,
          target: "–",
          met: null,
        },
        {
          benchmark: label,
          metric: "answered 304 (unchanged list), and bytes per answer",
          figure: `${((notModified / conditional.length) * 100).toFixed(1)}% · ${(bodyBytes / conditional.length / 1024).toFixed(1)} kB`,
          reference: `${(bytes / 1024).toFixed(0)} kB without`,
          ratio: "–",
          target: "–",
          met: null,
        },
        {
          benchmark: label,
          metric: `controller requests for those ${latencies.length} answers: GET /v1/vms / per-VM calls`,
          figure: `${calls} (${(calls / SECONDS).toFixed(1)}/s) / ${perVm}`,
          reference: `${latencies.length} uncoalesced`,
          ratio: "–",
          target: "≈ 1 list call/s, 0 per-VM",
          met: calls <= SECONDS + 2 && perVm === 0,
        },
      ],
      notes: [
        `clusters: the compiled binary with ORCHARD_HOME naming the fake Orchard controller (test/support/fake-orchard, no auth, scheduler step 5 ms) holding ${VMS} VMs placed on ${WORKERS} workers; one reader times a cold call, then 30 warm calls alternating with the controller's own \`GET /v1/vms\` asked directly (the reference); then ${READERS} concurrent readers each poll every 250 ms for ${SECONDS} s while the controller's requests are counted (the server coalesces the list: one controller call answers every request within a second); then the same again with each reader sending back the ETag it last got, as the Clusters and VMs pages do (the VMs do not change meanwhile, so the list's bytes go out once per reader). Latency is request to last byte, measured by Bun in the benchmark process.`,
      ],
    };
  } finally {
    await server?.stop();
    orchard.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const result = await clustersBench();
  for (const row of result.rows) console.log(`${row.metric}: ${row.figure} (reference ${row.reference})`);
}
