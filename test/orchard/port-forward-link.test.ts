/**
 * The console's upstream to a cluster VM: the controller's port-forward websocket (fake
 * controller, pinned TLS). Back-pressure: while the sink refuses, the link stops taking frames,
 * so the controller stops reading the VM's TCP (the sender backs up) and nothing is lost; after
 * resume() every byte arrives in order. Orchard's refusals come back with their status.
 */
import { afterAll, expect, test } from "bun:test";
import type { ClusterConfig } from "../../src/orchard/cluster-config.ts";
import { ControllerClient } from "../../src/orchard/controller-client.ts";
import { PortForwardLink, PortForwardRefused } from "../../src/orchard/port-forward-link.ts";
import { startFakeOrchard } from "../support/fake-orchard/controller.ts";

const TOTAL = 48 << 20;
let written = 0;
// The "VM's port": sends TOTAL bytes of a counting pattern as fast as the connection takes them.
const blaster = Bun.listen({
  hostname: "127.0.0.1",
  port: 0,
  socket: {
    open: (socket) => pump(socket),
    drain: (socket) => pump(socket),
    data() {},
  },
});
function pump(socket: import("bun").Socket<undefined>) {
  while (written < TOTAL) {
    const chunk = new Uint8Array(Math.min(64 << 10, TOTAL - written));
    for (let i = 0; i < chunk.length; i++) chunk[i] = (written + i) & 0xff;
    const n = socket.write(chunk);
    written += Math.max(0, n);
    if (n < chunk.length) return;
  }
  socket.end();
}
const orchard = startFakeOrchard({ tls: true, adminToken: "admin-token", timings: { stepMs: 10 }, forward: () => ({ hostname: "127.0.0.1", port: blaster.port }) });
afterAll(() => {
  orchard.stop();
  blaster.stop(true);
});
const client = () => {
  const config: ClusterConfig = { name: "farm", url: orchard.url, source: "app", serviceAccountName: "bootstrap-admin", serviceAccountToken: "admin-token", certificate: orchard.certificate!.cert };
  return new ControllerClient(config, { userAgent: "taartenfabriek/test", timeoutMs: 2000 });
};

test("a refusing sink pauses the controller's stream; resume() delivers every byte in order", async () => {
  orchard.cluster.addWorker("w1");
  await client().call("POST", "/vms", { name: "flood", image: "img" });
  for (let i = 0; i < 200 && orchard.cluster.vms.get("flood")!.status !== "running"; i++) await Bun.sleep(20);
  const link = await PortForwardLink.open(client(), "flood", 5900, 5);
  let received = 0;
  let inOrder = true;
  let accepting = false;
  const ended = new Promise<void>((resolve) =>
    link.relayTo({
      data: (chunk) => {
        for (let i = 0; i < chunk.length; i += 4093) if (chunk[i] !== ((received + i) & 0xff)) inOrder = false;
        received += chunk.length;
        return accepting;
      },
      closed: () => resolve(),
    }),
  );
  await Bun.sleep(800);
  // Paused after the first chunk: only what was already in flight arrived, and the VM's side is held up.
  expect(received).toBeLessThan(TOTAL / 2);
  expect(written).toBeLessThan(TOTAL);
  accepting = true;
  link.resume();
  await ended;
  expect(received).toBe(TOTAL);
  expect(inOrder).toBe(true);
}, 30_000);

test("Orchard's refusals keep their status: 404 no VM, 408 not running in time, 400 bad port", async () => {
  const refusal = (name: string, port: number, wait: number) => PortForwardLink.open(client(), name, port, wait).then(() => null, (error) => error);
  const missing = await refusal("nope", 5900, 0);
  expect(missing).toBeInstanceOf(PortForwardRefused);
  expect(missing.status).toBe(404);
  orchard.cluster.silent.add("w1"); // the worker stops reporting: a new VM never runs
  await client().call("POST", "/vms", { name: "stuck", image: "img" });
  expect((await refusal("stuck", 5900, 0)).status).toBe(408);
  expect((await refusal("flood", 0, 0)).status).toBe(400);
});
