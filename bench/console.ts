/**
 * The console proxy's cost: what the websocket relay (with its own VNC login) adds over talking
 * RFB straight to the VNC server over TCP, in the same run against the same server (TigerVNC
 * standing in for tart's, started by the fake `tart run --vnc-experimental`).
 *  - round trip: a non-incremental FramebufferUpdateRequest for a 1×1 region, until its
 *    update has arrived (the smallest RFB exchange that always gets an answer);
 *  - throughput: a full-screen raw update, 1024×768 × 32 bpp = 3 MiB, request to last byte.
 * Rounds alternate proxy and direct.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "../test/support/server-process.ts";
import { rfbOverTcp, rfbOverWebSocket, type RfbSession } from "../test/support/rfb-client.ts";
import { median, ms, ratio, say, withSpread, type BenchResult } from "./lib.ts";

const ROUND_TRIPS = Number(process.env.BENCH_CONSOLE_ROUND_TRIPS ?? 300);
const FULL_UPDATES = Number(process.env.BENCH_CONSOLE_FULL_UPDATES ?? 30);
const VM = "vm-0004";

async function timed(session: RfbSession, region?: { x: number; y: number; w: number; h: number }): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const update = await session.fullUpdate(region);
  return { ms: performance.now() - t0, bytes: update.bytes };
}

const mibPerS = (bytes: number, milliseconds: number) => bytes / 1048576 / (milliseconds / 1000);

export async function consoleBench(): Promise<BenchResult> {
  const server = await startServer({ binary: true, seed: { local: 4, running: 0 } });
  try {
    await server.post("/api/vms/refresh");
    const task = await server.waitTask((await server.startTask(`/api/vms/${VM}/start`, { console: true })).id, 30_000);
    if (task.result?.console !== "ready") throw new Error(`console not ready: ${JSON.stringify(task.result)}`);
    const { port, password } = JSON.parse(readFileSync(join(server.dataDir, "consoles.json"), "utf8"))[VM];
    const { ws_url } = await (await server.post(`/api/vms/${VM}/console`)).json();
    const proxied = await rfbOverWebSocket(server.base.replace("http", "ws") + ws_url, server.base);
    const direct = await rfbOverTcp("127.0.0.1", port, password);
    const pixel = { x: 0, y: 0, w: 1, h: 1 };
    for (let i = 0; i < 20; i++) await Promise.all([timed(proxied, pixel), timed(direct, pixel)]); // warm-up

    const viaProxy: number[] = [];
    const viaTcp: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      viaProxy.push((await timed(proxied, pixel)).ms);
      viaTcp.push((await timed(direct, pixel)).ms);
    }
    const fullProxy: number[] = [];
    const fullTcp: number[] = [];
    let bytes = 0;
    for (let i = 0; i < FULL_UPDATES; i++) {
      const p = await timed(proxied);
      const d = await timed(direct);
      bytes = p.bytes;
      fullProxy.push(p.ms);
      fullTcp.push(d.ms);
    }
    proxied.close();
    direct.close();
    say(`console: round trip ${ms(median(viaProxy))} via proxy, ${ms(median(viaTcp))} direct; full update ${ms(median(fullProxy))} vs ${ms(median(fullTcp))}`);
    const added = median(viaProxy) - median(viaTcp);
    const throughput = mibPerS(bytes, median(fullProxy));
    return {
      name: "console",
      rows: [
        {
          benchmark: "console",
          metric: "RFB round trip (1×1 update request → update)",
          figure: withSpread(viaProxy, ms),
          reference: withSpread(viaTcp, ms),
          ratio: ratio(median(viaProxy), median(viaTcp)),
          target: "adds < 2 ms",
          met: added < 2,
        },
        {
          benchmark: "console",
          metric: `full-screen raw update (${(bytes / 1048576).toFixed(1)} MiB)`,
          figure: `${withSpread(fullProxy, ms)} (${throughput.toFixed(0)} MiB/s)`,
          reference: `${withSpread(fullTcp, ms)} (${mibPerS(bytes, median(fullTcp)).toFixed(0)} MiB/s)`,
          ratio: ratio(median(fullProxy), median(fullTcp)),
          target: "≤ 1.5x direct",
          met: median(fullProxy) / median(fullTcp) <= 1.5,
        },
      ],
      notes: [
        `console: the compiled binary's websocket proxy (ticket, its own VNC login, None to the client) vs a direct TCP RFB client with the password, against one TigerVNC server (1024×768, 24-bit) started by the fake \`tart run --vnc-experimental\`; ${ROUND_TRIPS} alternating round trips after 20 warm-up pairs, then ${FULL_UPDATES} alternating full-screen raw updates. Both clients are Bun in the benchmark process.`,
      ],
    };
  } finally {
    await server.stop();
  }
}
