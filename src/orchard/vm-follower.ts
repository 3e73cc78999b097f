/**
 * Follows one cluster VM for a task: its status from the controller's NDJSON watch (`GET
 * /v1/vms/{name}?watch=true`), its log from its events (vm-events.ts), until `verdict` says the
 * task is done or failed, the deadline passes, or the task is cancelled. A watch cut off (a
 * controller restart, a dropped connection) is opened again after a pause; each new
 * `status_message` goes to the task's log as it changes.
 */
import { AppError } from "../domain/errors.ts";
import type { TaskContext } from "../domain/task-manager.ts";
import type { ControllerClient } from "./controller-client.ts";
import type { OrchardVm } from "./orchard-resources.ts";
import { VmEventReader } from "./vm-events.ts";
import { sleepUnlessAborted } from "../domain/abortable-sleep.ts";

export type Verdict = { done: true; vm: OrchardVm | null } | { failed: string } | null;

interface WatchMessage {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: OrchardVm;
}

export interface FollowTiming {
  eventsPollMs: number;
  rewatchMs: number;
}

export async function followVm(
  client: ControllerClient,
  name: string,
  ctx: TaskContext,
  verdict: (vm: OrchardVm | null) => Verdict,
  deadlineMs: number,
  timing: FollowTiming,
): Promise<OrchardVm | null> {
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const events = new VmEventReader(client, name);
  const drainEvents = async (until?: AbortSignal) => {
    for (const line of await events.next(until).catch(() => [])) ctx.log(line);
  };
  const polling = (async () => {
    while (!signal.aborted) {
      await drainEvents(signal);
      await sleepUnlessAborted(timing.eventsPollMs, signal);
    }
  })();
  let lastMessage: string | undefined;
  const deadline = Date.now() + deadlineMs;
  const timer = setTimeout(() => stop.abort(), deadlineMs);
  try {
    while (!signal.aborted) {
      try {
        for await (const message of client.watch<WatchMessage>(`/vms/${encodeURIComponent(name)}?watch=true`, signal)) {
          const vm = message.type === "DELETED" ? null : message.object;
          if (vm && vm.status_message && vm.status_message !== lastMessage) {
            lastMessage = vm.status_message;
            ctx.log(`[${vm.status ?? "pending"}] ${vm.status_message}`);
          }
          const result = verdict(vm);
          if (!result) continue;
          stop.abort();
          await polling;
          if (vm) await drainEvents(ctx.signal); // what arrived since the last poll
          if ("failed" in result) throw new AppError("upstream_failed", result.failed);
          return result.vm;
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (signal.aborted) break;
        ctx.log(`watch interrupted (${(error as Error).message}); watching again`, "stderr");
      }
      await sleepUnlessAborted(timing.rewatchMs, signal);
    }
    if (ctx.signal.aborted) throw new AppError("cancelled", "Cancelled; the cluster VM is left as the controller has it");
    if (Date.now() >= deadline) throw new AppError("timeout", `Cluster VM ${name} did not get there within ${Math.round(deadlineMs / 1000)} s; it is left as it is`);
    throw new AppError("upstream_failed", `Stopped following cluster VM ${name}`);
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
}
