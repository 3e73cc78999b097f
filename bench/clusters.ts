/**
 * Orchard clusters at scale: `GET /api/clusters/{c}/vms` over the compiled binary against the
 * fake controller holding 2,000 VMs on 100 workers — latency of one reader (cold, then warm) and
 * of 50 concurrent readers polling for 10 s, and how many requests reached the controller for
 * them (the server coalesces the list: about one controller call a second, not one per reader).
 * Reference in the same run: `GET /v1/vms` asked of the controller directly.
 *
 *   bun build.ts && bun bench/clusters.ts
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeOrchard } from "../test/support/fake-orchard/controller.ts";
import { startServer } from "../test/support/server-process.ts";

const VMS = 2000;
const WORKERS = 100;
const READERS = 50;
const SECONDS = 10;

const orchard = startFakeOrchard({ authDisabled: true, timings: { stepMs: 5 } });
for (let w = 0; w < WORKERS; w++) orchard.cluster.addWorker(`worker-${String(w).padStart(3, "0")}`, { resources: { "org.cirruslabs.tart-vms": 20 } });
for (let i = 0; i < VMS; i++) {
  await fetch(`${orchard.url}/v1/vms`, { method: "POST", body: JSON.stringify({ name: `vm-${String(i).padStart(4, "0")}`, image: "ghcr.io/cirruslabs/macos-sequoia-base:latest", cpu: 4, memory: 8192 }) });
}
await Bun.sleep(500); // let the scheduler place them
const home = mkdtempSync(join(tmpdir(), "bench-orchard-"));
mkdirSync(join(home, ".orchard"));
writeFileSync(join(home, ".orchard", "orchard.yml"), `contexts:\n  farm:\n    url: ${orchard.url}\n`);
const server = await startServer({ binary: true, env: { ORCHARD_HOME: home } });

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const timed = async (read: () => Promise<Response>) => {
  const start = performance.now();
  const response = await read();
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return performance.now() - start;
};
const controllerCalls = () => orchard.requests.filter((r) => r.path === "/v1/vms").length;

const cold = await timed(() => server.fetch("/api/clusters/farm/vms"));
const warm: number[] = [];
for (let i = 0; i < 30; i++) warm.push(await timed(() => server.fetch("/api/clusters/farm/vms")));
const direct: number[] = [];
for (let i = 0; i < 30; i++) direct.push(await timed(() => fetch(`${orchard.url}/v1/vms`)));

const before = controllerCalls();
const latencies: number[] = [];
let answers = 0;
const until = Date.now() + SECONDS * 1000;
await Promise.all(
  Array.from({ length: READERS }, async () => {
    while (Date.now() < until) {
      latencies.push(await timed(() => server.fetch("/api/clusters/farm/vms")));
      answers++;
      await Bun.sleep(250); // a dashboard polls every 2 s; 4× that per reader
    }
  }),
);
const calls = controllerCalls() - before;
const perVm = orchard.requests.filter((r) => /^\/v1\/vms\/vm-/.test(r.path)).length;
const bytes = (await (await server.fetch("/api/clusters/farm/vms")).arrayBuffer()).byteLength;

console.log(`clusters bench: ${VMS} VMs on ${WORKERS} workers (fake Orchard controller), binary ${server.base}`);
console.log(`  one reader: cold ${cold.toFixed(1)} ms; warm p50 ${percentile(warm, 50).toFixed(1)} ms, p99 ${percentile(warm, 99).toFixed(1)} ms (${(bytes / 1024).toFixed(0)} KiB)`);
console.log(`  reference, the controller's own GET /v1/vms: p50 ${percentile(direct, 50).toFixed(1)} ms, p99 ${percentile(direct, 99).toFixed(1)} ms`);
console.log(`  ${READERS} readers for ${SECONDS} s: ${answers} answers, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
console.log(`  controller requests for them: ${calls} list calls (${(calls / SECONDS).toFixed(1)}/s), ${perVm} per-VM calls`);
await server.stop();
orchard.stop();
