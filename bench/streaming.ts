/**
 * Streaming: a pull task whose tart prints 50,000 progress lines as fast as it can (fake knob
 * `flood_lines`), watched by 20 websocket clients.
 *
 * - Delivery latency, line by line: bench/support/stamp-pull.ts sits between the server and the
 *   fake, timestamps every line as it leaves the fake and forwards it unchanged. Clients use the
 *   incremental mode (`mode=delta`, what the UI uses), whose `log_offset` names every line they
 *   receive, so each (line, client) pair gets arrival time − output time on one wall clock.
 * - Bytes per client: the websocket payload bytes each client received for the task, against the
 *   raw bytes the fake printed (the reference).
 * - Server memory growth: the highest RSS sampled every 20 ms from the pull's start to its end,
 *   minus the RSS just before.
 * A last round uses the original API's message shape (full Task per message, no mode) for the same
 * figures, with latency taken as arrival − the task's `updated_at` (full messages carry no offset).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer } from "../test/support/server-process.ts";
import { BENCH, FAKE_TART, kb, mb, median, ms, percentileSorted, ratio, rssOf, sampleRss, say, withSpread, type BenchResult, type Row } from "./lib.ts";

const LINES = Number(process.env.BENCH_FLOOD_LINES ?? 50_000);
const CLIENTS = Number(process.env.BENCH_STREAM_CLIENTS ?? 20);
const DELTA_ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? 3);
const STAMP_TART = join(BENCH, "support", "tart-stamp");
// The fake sleeps this long before printing, so every client is subscribed before the flood.
const PULL_DELAY_MS = 1500;
const now = () => performance.timeOrigin + performance.now();

interface Received {
  at: number;
  bytes: number;
  offset: number | null;
  count: number;
  updatedAt: number;
  status: string;
  first: string | undefined;
  last: string | undefined;
}

interface Client {
  messages: Received[];
  opened: Promise<void>;
  closed: Promise<{ code: number }>;
}

function subscribe(server: TestServer, taskId: string, delta: boolean): Client {
  const url = `ws://127.0.0.1:${server.port}/ws/tasks/${taskId}?token=${server.token}${delta ? "&mode=delta" : ""}`;
  const socket = new WebSocket(url);
  const messages: Received[] = [];
  const opened = new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error("websocket error"));
  });
  socket.onmessage = (event) => {
    const at = now();
    const text = String(event.data);
    const task = JSON.parse(text) as { logs: string[]; log_offset?: number; updated_at: number; status: string };
    messages.push({ at, bytes: Buffer.byteLength(text), offset: task.log_offset ?? null, count: task.logs.length, updatedAt: task.updated_at * 1000, status: task.status, first: task.logs[0], last: task.logs[task.logs.length - 1] });
  };
  const closed = new Promise<{ code: number }>((resolve) => {
    socket.onclose = (event) => resolve({ code: event.code });
  });
  return { messages, opened, closed };
}

interface Stamps {
  lines: string[];
  times: number[];
  bytes: number;
}

interface RoundResult {
  latencies: Float64Array; // ms, sorted
  updatedLag: Float64Array; // ms, sorted
  bytesPerClient: number[];
  rawBytes: number;
  memoryGrowth: number;
  missing: number; // (line, client) pairs never delivered
  floodMs: number; // first → last line out of the fake
  lastArrivalMs: number; // last line out → last client has it
  messagesPerClient: number;
  lines: number; // non-empty lines the fake printed
}

async function floodRound(server: TestServer, stampDir: string, round: number, delta: boolean): Promise<RoundResult> {
  const reference = `ghcr.io/cirruslabs/bench-flood-${round}:latest`;
  const response = await server.post("/api/vms/pull", { oci_url: reference });
  if (!response.ok) throw new Error(`pull answered ${response.status}: ${await response.text()}`);
  const task = (await response.json()) as { id: string };
  const clients = Array.from({ length: CLIENTS }, () => subscribe(server, task.id, delta));
  await Promise.all(clients.map((c) => c.opened));
  const subscribedAt = now();
  await Bun.sleep(50);
  const before = rssOf(server.proc.pid);
  const sampler = sampleRss(server.proc.pid);
  const closes = await Promise.all(clients.map((c) => c.closed));
  const peak = sampler.stop();
  if (closes.some((c) => c.code !== 1000)) throw new Error(`websocket closed with ${closes.map((c) => c.code).join(",")}`);
  const final = await server.get(`/api/tasks/${task.id}`);
  if (final.status !== "completed") throw new Error(`pull ${final.status}: ${final.error}`);

  const stamps = JSON.parse(readFileSync(join(stampDir, `${reference.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`), "utf8")) as Stamps;
  if (stamps.times[0]! < subscribedAt) throw new Error("the flood began before every client was subscribed");
  // Server log line k ↔ the fake's k-th non-empty stdout line after the `$ tart pull …` line,
  // found by the first line the fake prints; every mapped pair is checked by its text.
  const out = stamps.lines.map((line, i) => ({ line, time: stamps.times[i]! })).filter((x) => x.line.trim());
  const floodLines = out.filter((x) => /^\d+%$/.test(x.line));
  const floodMs = floodLines.length ? floodLines[floodLines.length - 1]!.time - floodLines[0]!.time : NaN;
  const lastOut = out[out.length - 1]!.time;

  const latencies: number[] = [];
  const updatedLag: number[] = [];
  let missing = 0;
  let lastArrival = 0;
  for (const client of clients) {
    for (const m of client.messages) {
      updatedLag.push(m.at - m.updatedAt);
      lastArrival = Math.max(lastArrival, m.at);
    }
  }
  let lastLineArrival = 0;
  let mismatches = 0;
  if (delta) {
    // The server logs its own lines (the free-space check) and `$ tart pull …` first; the fake's
    // non-empty lines follow the command line. The task's full log file says where that is (its
    // in-memory log has kept only the flood's last lines).
    const fullLog = await (await server.fetch(`/api/tasks/${task.id}/log`)).text();
    const commandAt = fullLog.split("\n").findIndex((line) => line.startsWith("$ tart pull"));
    if (commandAt < 0) throw new Error("the task's log does not hold its `$ tart pull` line");
    const LOG_FIRST_STDOUT = commandAt + 1;
    const seen = new Uint8Array(out.length);
    for (const client of clients) {
      seen.fill(0);
      for (const m of client.messages) {
        if (m.count === 0) continue;
        const first = m.offset! - LOG_FIRST_STDOUT;
        const last = first + m.count - 1;
        // Every message's first and last lines are checked against what the fake printed there.
        if (first >= 0 && out[first]?.line !== m.first) mismatches++;
        if (last >= 0 && last < out.length && out[last]?.line !== m.last) mismatches++;
        for (let k = Math.max(0, first); k <= last && k < out.length; k++) {
          seen[k] = 1;
          latencies.push(m.at - out[k]!.time);
        }
        if (last >= out.length - 1 && first <= out.length - 1) lastLineArrival = Math.max(lastLineArrival, m.at);
      }
      for (let k = 0; k < out.length; k++) if (!seen[k]) missing++;
    }
    if (mismatches) throw new Error(`${mismatches} delivered lines differ from what the fake printed at that index`);
  }
  return {
    latencies: Float64Array.from(latencies).sort(),
    updatedLag: Float64Array.from(updatedLag).sort(),
    bytesPerClient: clients.map((c) => c.messages.reduce((a, m) => a + m.bytes, 0)),
    rawBytes: stamps.bytes,
    memoryGrowth: peak - before,
    missing,
    floodMs,
    lastArrivalMs: (delta ? lastLineArrival : lastArrival) - lastOut,
    messagesPerClient: median(clients.map((c) => c.messages.length)),
    lines: out.length,
  };
}

export async function streamingBench(): Promise<BenchResult> {
  const stampDir = mkdtempSync(join(tmpdir(), "bench-stamps-"));
  const server = await startServer({
    binary: true,
    tart: STAMP_TART,
    knobs: { flood_lines: LINES, latency_ms: { pull: PULL_DELAY_MS }, argv_log: false },
    env: { BENCH_FAKE_TART: FAKE_TART, BENCH_STAMP_DIR: stampDir },
  });
  try {
    const delta: RoundResult[] = [];
    for (let round = 1; round <= DELTA_ROUNDS; round++) {
      const r = await floodRound(server, stampDir, round, true);
      delta.push(r);
      say(
        `stream round ${round} (delta): median ${ms(percentileSorted(r.latencies, 50))} p99 ${ms(percentileSorted(r.latencies, 99))} · ${kb(median(r.bytesPerClient))}/client vs ${kb(r.rawBytes)} raw · +${mb(r.memoryGrowth)} · flood ${ms(r.floodMs)} · ${r.messagesPerClient} msgs/client · missing ${r.missing}`,
      );
    }
    const full = await floodRound(server, stampDir, DELTA_ROUNDS + 1, false);
    say(
      `stream round ${DELTA_ROUNDS + 1} (full Task): updated_at lag median ${ms(percentileSorted(full.updatedLag, 50))} p99 ${ms(percentileSorted(full.updatedLag, 99))} · ${kb(median(full.bytesPerClient))}/client vs ${kb(full.rawBytes)} raw · +${mb(full.memoryGrowth)} · ${full.messagesPerClient} msgs/client`,
    );

    const med = delta.map((r) => percentileSorted(r.latencies, 50));
    const p99 = delta.map((r) => percentileSorted(r.latencies, 99));
    const lag = delta.map((r) => percentileSorted(r.updatedLag, 50));
    const bytes = delta.map((r) => median(r.bytesPerClient));
    const raw = delta.map((r) => r.rawBytes);
    const growth = delta.map((r) => r.memoryGrowth);
    const flood = delta.map((r) => r.floodMs);
    const tail = delta.map((r) => r.lastArrivalMs);
    const missing = delta.reduce((a, r) => a + r.missing, 0);
    const label = `streaming (${LINES.toLocaleString("en-US")} lines, ${CLIENTS} clients)`;
    const rows: Row[] = [
      {
        benchmark: label,
        metric: "line out of tart → client, median (mode=delta)",
        figure: withSpread(med, ms),
        reference: "–",
        ratio: "–",
        target: "< 20 ms",
        met: median(med) < 20,
      },
      {
        benchmark: label,
        metric: "(line, client) pairs delivered (mode=delta)",
        figure: `${((1 - missing / (delta.reduce((a, r) => a + r.lines, 0) * CLIENTS)) * 100).toFixed(2)}%`,
        reference: "100%",
        ratio: "–",
        target: "– (see notes)",
        met: null,
      },
      {
        benchmark: label,
        metric: "line out of tart → client, p99 (mode=delta)",
        figure: withSpread(p99, ms),
        reference: "–",
        ratio: "–",
        target: "–",
        met: null,
      },
      {
        benchmark: label,
        metric: "bytes sent per client (mode=delta)",
        figure: withSpread(bytes, kb),
        reference: `${kb(median(raw))} printed by tart`,
        ratio: ratio(median(bytes), median(raw)),
        target: "≤ 3x",
        met: median(bytes) / median(raw) <= 3,
      },
      {
        benchmark: label,
        metric: "server RSS growth during the flood (mode=delta)",
        figure: withSpread(growth, mb),
        reference: "–",
        ratio: "–",
        target: "< 50 MB",
        met: Math.max(...growth) < 50 * 1048576,
      },
      {
        benchmark: label,
        metric: "bytes sent per client (full Task per message, original API shape)",
        figure: kb(median(full.bytesPerClient)),
        reference: `${kb(full.rawBytes)} printed by tart`,
        ratio: ratio(median(full.bytesPerClient), full.rawBytes),
        target: "– (delta is the UI's mode)",
        met: null,
      },
      {
        benchmark: label,
        metric: "message arrival − updated_at, median / p99 (full Task)",
        figure: `${ms(percentileSorted(full.updatedLag, 50))} / ${ms(percentileSorted(full.updatedLag, 99))}`,
        reference: "–",
        ratio: "–",
        target: "–",
        met: null,
      },
      {
        benchmark: label,
        metric: "server RSS growth during the flood (full Task)",
        figure: mb(full.memoryGrowth),
        reference: "–",
        ratio: "–",
        target: "< 50 MB",
        met: full.memoryGrowth < 50 * 1048576,
      },
    ];
    return {
      name: "streaming",
      rows,
      notes: [
        `streaming: the server drives bench/support/tart-stamp, which runs the fake's \`pull\` (knobs flood_lines ${LINES}, latency_ms.pull ${PULL_DELAY_MS} so all ${CLIENTS} clients subscribe first) under bench/support/stamp-pull.ts: each stdout line is timestamped when it leaves the fake and forwarded unchanged. Clients in \`mode=delta\` know every line's index (log_offset), so latency is measured per (line, client) pair: ${DELTA_ROUNDS} rounds, the figure is the median of the rounds' medians / p99s. Each message's first and last lines are checked against the fake's text at that index. (line, client) pairs never delivered: ${missing} — the server skipped them (the task's in-memory log keeps 2,000 lines, and a delta client that falls further behind than that between two flushes is sent from the oldest line still held).`,
        `streaming: the fake needs ${withSpread(flood, ms)} to print the flood (four busy processes share ${availableParallelism()} cores: fake, stamper, server, clients); the last line reaches the last client ${withSpread(tail, ms)} after it left the fake. Arrival − updated_at (the server's own stamp) in delta mode: median ${withSpread(lag, ms)}.`,
        `streaming: the last round sends the original API's shape (whole Task, logs = the last 2,000 lines) to ${CLIENTS} clients: ${full.messagesPerClient} messages per client.`,
      ],
    };
  } finally {
    await server.stop();
    rmSync(stampDir, { recursive: true, force: true });
  }
}
