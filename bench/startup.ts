/**
 * Start-up: from exec to the first answered `GET /api/health` (with the token), and the idle
 * resident memory once the server has settled. Reference: bench/reference/bare-serve.ts, a bare
 * `Bun.serve` answering the same route with the same bytes, started with the same bun.
 *
 * Rounds alternate server and reference; a first pair warms the page cache and is discarded.
 * The port is picked before the exec so the clock can run from the exec itself; the client polls
 * every millisecond, so the figure carries at most ~1 ms of polling granularity on both sides.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedTartHome } from "../test/support/fake-tart/seed.ts";
import { BINARY } from "../test/support/server-process.ts";
import { FAKE_TART, freePort, mb, median, ms, ratio, rssOf, say, tartEnv, withSpread, type BenchResult, BENCH } from "./lib.ts";

const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 7);
const SETTLE_MS = 1500;

interface Sample {
  startMs: number;
  rss: number;
}

async function firstAnswer(port: number, token: string, proc: Bun.Subprocess, t0: number): Promise<{ elapsed: number; body: string }> {
  const deadline = t0 + 15_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { "x-local-token": token } });
      const body = await response.text();
      if (response.status === 200) return { elapsed: performance.now() - t0, body };
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode} before answering`);
    if (performance.now() > deadline) throw new Error("no answer within 15 s");
    await Bun.sleep(1);
  }
}

async function measure(argv: string[], env: Record<string, string>, port: number, token: string): Promise<Sample & { body: string }> {
  const t0 = performance.now();
  const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "ignore", env });
  try {
    const { elapsed, body } = await firstAnswer(port, token, proc, t0);
    await Bun.sleep(SETTLE_MS);
    return { startMs: elapsed, rss: rssOf(proc.pid), body };
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}

export async function startupBench(): Promise<BenchResult> {
  const scratch = mkdtempSync(join(tmpdir(), "bench-startup-"));
  const tartHome = join(scratch, "tart-home");
  const dataDir = join(scratch, "data");
  seedTartHome({ home: tartHome, local: 20, running: 5, oci: 1 });
  const env = tartEnv(tartHome, { TARTVM_GITHUB_API_URL: "http://127.0.0.1:9", TARTVM_GHCR_URL: "http://127.0.0.1:9" });
  const serverArgv = (port: number) => [BINARY, "--port", String(port), "--no-open", "--data-dir", dataDir, "--tart", FAKE_TART];

  try {
    // A first start creates the data dir, token and database; later starts are the everyday case.
    const warm = Bun.spawnSync([BINARY, "token", "--data-dir", dataDir], { env });
    if (warm.exitCode !== 0) throw new Error(`taartenfabriek token failed: ${warm.stderr}`);
    const token = readFileSync(join(dataDir, "token"), "utf8").trim();

    const server: Sample[] = [];
    const reference: Sample[] = [];
    let healthBody = '{"status":"ok"}';
    for (let round = 0; round <= ROUNDS; round++) {
      const serverPort = freePort();
      const s = await measure(serverArgv(serverPort), env, serverPort, token).catch((e) => {
        throw new Error(`server start-up: ${e.message}`);
      });
      healthBody = s.body;
      const refPort = freePort();
      const r = await measure(
        [process.execPath, join(BENCH, "reference", "bare-serve.ts"), "--port", String(refPort), "--route", "/api/health", "--token", token, "--body", healthBody],
        { PATH: "/usr/bin:/bin" },
        refPort,
        token,
      );
      if (round === 0) continue; // warm-up pair: page cache, first-exec costs
      server.push(s);
      reference.push(r);
      say(`startup round ${round}: server ${ms(s.startMs)} ${mb(s.rss)} · reference ${ms(r.startMs)} ${mb(r.rss)}`);
    }
    const sStart = server.map((s) => s.startMs);
    const rStart = reference.map((s) => s.startMs);
    const sRss = server.map((s) => s.rss);
    const rRss = reference.map((s) => s.rss);
    const startRatio = median(sStart) / median(rStart);
    const rssRatio = median(sRss) / median(rRss);
    return {
      name: "startup",
      rows: [
        {
          benchmark: "start-up",
          metric: "exec → first 200 on GET /api/health",
          figure: withSpread(sStart, ms),
          reference: withSpread(rStart, ms),
          ratio: ratio(median(sStart), median(rStart)),
          target: "≤ 2x and < 150 ms",
          met: startRatio <= 2 && median(sStart) < 150,
        },
        {
          benchmark: "start-up",
          metric: `idle RSS ${SETTLE_MS / 1000} s after first answer`,
          figure: withSpread(sRss, mb),
          reference: withSpread(rRss, mb),
          ratio: ratio(median(sRss), median(rRss)),
          target: "≤ 1.5x",
          met: rssRatio <= 1.5,
        },
      ],
      notes: [
        `start-up: compiled binary (dist/taartenfabriek) with an existing data dir and a 20-VM TART_HOME vs \`bun bench/reference/bare-serve.ts\` serving the same health JSON; ${ROUNDS} alternating rounds after one discarded warm-up pair; the client polls every 1 ms.`,
      ],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
