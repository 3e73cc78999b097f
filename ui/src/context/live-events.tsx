/**
 * <LiveEvents/>: holds the one `/ws/events` socket while signed in and applies what it brings —
 * VM events to the inventory, task events to the tasks (the operations panel and every card's
 * in-flight state), health to the session. While it is up nothing polls; when it drops the
 * inventory, tasks and health loops take over until it is back (session.state.live).
 *
 * On `hello` (first connection) or `resync` (the server could not replay what was missed) the
 * VM list and the active tasks are loaded again; VM events that arrive during that load are
 * applied again after it, so an answer computed just before them cannot undo them.
 */
import { createEffect, onCleanup } from "solid-js";
import { eventSocketUrl, openEventStream, type ServerEvent } from "../api/event-stream.ts";
import type { Health, Task, Vm } from "../api/types.ts";
import { useInventory } from "./inventory.tsx";
import { useSession } from "./session.tsx";
import { useTasks } from "./tasks.tsx";

export function LiveEvents() {
  const session = useSession();
  const inventory = useInventory();
  const tasks = useTasks();

  const applyVm = (event: ServerEvent) => {
    const at = event.at * 1000;
    if (event.type === "vm.removed") inventory.dispatch({ type: "vmRemoved", name: (event.data as { name: string }).name, at });
    else inventory.dispatch({ type: "vmChanged", vm: event.data as Vm, at });
  };

  createEffect(() => {
    const token = session.state.token;
    if (session.state.auth !== "signed-in" || !token) return;
    let syncing: ServerEvent[] | null = null;
    const stream = openEventStream({
      url: (since) => eventSocketUrl(window.location.origin, token, since),
      onLive: (live) => session.setLive(live),
      onSync: () => {
        const during: ServerEvent[] = (syncing = []);
        void Promise.all([inventory.reload(true), tasks.syncActive()]).finally(() => {
          if (syncing === during) syncing = null;
          for (const event of during) applyVm(event);
        });
      },
      onEvent: (event) => {
        if (event.type.startsWith("vm.")) {
          syncing?.push(event);
          applyVm(event);
        } else if (event.type === "health") session.healthReceived(event.data as Health);
        else tasks.ingest(event.data as Task, event.type === "task.created");
      },
    });
    onCleanup(() => stream.close());
  });
  return null;
}
