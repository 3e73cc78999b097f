/**
 * Refresh: `POST /api/vms/refresh` with 200 VMs of which 100 run, `tart list` taking 50 ms and each
 * `tart ip` 100 ms (fake tart knob latency_ms). Reference, the limit: one `tart list` followed by
 * one `tart ip`, run by the benchmark itself through the same tart path, interleaved with the rounds.
 *
 * A second reference shows what this machine can do at all: the benchmark itself runs one `tart
 * list` and then all 100 `tart ip` at once (no server). The fake tart is a bun script, so every call
 * costs a bun start-up in CPU; on a 2-core box 100 of them cannot overlap the way 100 real `tart ip`
 * calls (which sleep on a file read) would, and that CPU floor is reported next to it.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { TestServer } from "../test/support/server-process.ts";
import { median, ms, ratio, say, tartEnv, withSpread, type BenchResult, type Row } from "./lib.ts";
import { waitForSettledInventory } from "./read-path.ts";
import { startSeededServer, TART_SHIM } from "./seeded.ts";
import { FAKE_TART } from "./lib.ts";

const ROUNDS = Number(process.env.BENCH_REFRESH_ROUNDS ?? 5);
export const REFRESH_KNOBS = { latency_ms: { list: 50, ip: 100 } };

interface ArgvEntry {
  argv: string[];
  time: number;
}

function argvEntries(tartHome: string): ArgvEntry[] {
  try {
    return readFileSync(join(tartHome, "argv.log"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ArgvEntry);
  } catch {
    return [];
  }
}

/**
 * One timed POST /api/vms/refresh that started its own `tart list` (not one that joined the
 * a look the server was already making); retried up to 3 times otherwise.
 */
export async function timedRefresh(server: TestServer, tartHome: string, expected: number): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const wallStart = Date.now();
    const t0 = performance.now();
    const response = await server.post("/api/vms/refresh", {});
    const body = (await response.json()) as unknown[];
    const elapsed = performance.now() - t0;
    if (!response.ok || body.length !== expected) throw new Error(`refresh answered ${response.status} with ${body.length} VMs`);
    // Ours started its own `tart list`; a refresh that joined one already in flight did not.
    const wallEnd = Date.now();
    const ours = argvEntries(tartHome).filter((e) => e.argv[0] === "list" && e.time >= wallStart && e.time <= wallEnd);
    if (ours.length === 1) return elapsed;
    say(`refresh overlapped the server's background refresh; measuring again`);
    await Bun.sleep(1000);
  }
  throw new Error("every refresh overlapped a background refresh");
}

/** The environment for the server and the benchmark's own tart calls: the shim, its light ip or not. */
export function refreshEnv(faithful: boolean): Record<string, string> {
  return faithful ? {} : { BENCH_IP_LATENCY_S: String(REFRESH_KNOBS.latency_ms.ip / 1000) };
}

async function spawnTart(args: string[], env: Record<string, string>, tart = TART_SHIM): Promise<{ cpuMs: number }> {
  const proc = Bun.spawn([tart, ...args], { stdin: "ignore", stdout: "ignore", stderr: "ignore", env });
  const code = await proc.exited;
  if (code !== 0) throw new Error(`tart ${args.join(" ")} exited ${code}`);
  const usage = proc.resourceUsage();
  return { cpuMs: usage ? (Number(usage.cpuTime.user) + Number(usage.cpuTime.system)) / 1000 : NaN };
}

/** The limit: `tart list` then one `tart ip`, back to back. */
async function limitOnce(env: Record<string, string>, vm: string): Promise<number> {
  const t0 = performance.now();
  await spawnTart(["list", "--format", "json"], env);
  await spawnTart(["ip", vm], env);
  return performance.now() - t0;
}

/** What the machine allows: `tart list`, then every `tart ip` at once, from this process. */
async function fanOutOnce(env: Record<string, string>, vms: string[]): Promise<number> {
  const t0 = performance.now();
  await spawnTart(["list", "--format", "json"], env);
  await Promise.all(vms.map((vm) => spawnTart(["ip", vm], env)));
  return performance.now() - t0;
}

export async function refreshBench(options: { faithful?: boolean } = {}): Promise<BenchResult> {
  const faithful = options.faithful ?? process.env.BENCH_REFRESH_FAITHFUL === "1";
  const rounds = faithful ? Math.min(ROUNDS, 2) : ROUNDS;
  const seeded = await startSeededServer({ local: 200, running: 100, oci: 0 }, REFRESH_KNOBS, refreshEnv(faithful));
  const { server, tartHome, running } = seeded;
  const env = tartEnv(tartHome, { BENCH_FAKE_TART: FAKE_TART, FAKE_TART_ARGV_LOG: "false", ...refreshEnv(faithful) });
  try {
    await waitForSettledInventory(server, 200);
    // What one real call of the fake `tart ip` costs in CPU (a bun start-up), for the note.
    const ipCpu: number[] = [];
    for (let i = 0; i < 3; i++) ipCpu.push((await spawnTart(["ip", running[i]!], env, FAKE_TART)).cpuMs);
    const figure: number[] = [];
    const limit: number[] = [];
    const fanOut: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      const s = await timedRefresh(server, tartHome, 200);
      await Bun.sleep(200);
      const l = await limitOnce(env, running[round % running.length]!);
      await Bun.sleep(200);
      const f = await fanOutOnce(env, running);
      await Bun.sleep(200);
      if (round === 0) continue; // warm-up
      figure.push(s);
      limit.push(l);
      fanOut.push(f);
      say(`refresh round ${round}: server ${ms(s)} · limit (list + ip) ${ms(l)} · list + 100 ip from the bench ${ms(f)}`);
    }
    const cores = availableParallelism();
    const cpuFloor = (running.length * median(ipCpu)) / cores;
    const label = faithful ? "refresh (200 VMs, 100 running, bun fake ip)" : "refresh (200 VMs, 100 running)";
    const rows: Row[] = [
      {
        benchmark: label,
        metric: "POST /api/vms/refresh; list 50 ms, ip 100 ms",
        figure: withSpread(figure, ms),
        reference: `${withSpread(limit, ms)} (list + 1 ip)`,
        ratio: ratio(median(figure), median(limit)),
        target: "≤ 1.3x",
        met: median(figure) / median(limit) <= 1.3,
      },
      {
        benchmark: label,
        metric: "same, vs list + 100 ip at once from the bench (no server)",
        figure: withSpread(figure, ms),
        reference: withSpread(fanOut, ms),
        ratio: ratio(median(figure), median(fanOut)),
        target: "– (server overhead)",
        met: null,
      },
    ];
    const how = faithful
      ? "every `tart ip` is the bun fake itself (BENCH_REFRESH_FAITHFUL=1)"
      : "`tart list` is the fake (50 ms knob); `tart ip` is bench/support/tart-shim's light path: `sleep 0.1` and the fake's lease for that VM, because the fake's own `ip` is a bun start-up";
    return {
      name: "refresh",
      rows,
      notes: [
        `refresh: ${how}. ${rounds} rounds after a warm-up, each a timed POST /api/vms/refresh (one that joined a look the server was already making is measured again), then the limit (\`tart list\` + one \`tart ip\`, back to back, spawned by the benchmark through the same tart path), then \`tart list\` + all 100 \`tart ip\` at once spawned by the benchmark. The server runs all \`tart ip\` calls at once (IP_CONCURRENCY 256 in src/bootstrap.ts).`,
        `refresh: one call of the bun fake \`tart ip\` costs ${ms(median(ipCpu))} of CPU; 100 of them need ${ms(cpuFloor)} of CPU on ${cores} cores — the floor for any server driving the bun fake, which is why the default run gives \`ip\` the light path.`,
      ],
    };
  } finally {
    await seeded.stop();
  }
}
