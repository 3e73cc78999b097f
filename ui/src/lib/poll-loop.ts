/**
 * The polling loop behind the VM list and the active-task list: run `tick`, wait `intervalMs`,
 * repeat — while `enabled()` holds (signed in and online), skipping the tick while the tab is
 * hidden. Each (re)start bumps a loop id, so a loop still awaiting its tick when it was restarted
 * or disposed stops at its next turn instead of running beside the new one. Call it inside a
 * component or provider: the loop restarts from the effect on `enabled` and ends on cleanup.
 */
import { createEffect, on, onCleanup } from "solid-js";

export function createPollLoop(options: {
  /** A function is asked again after every tick: a loop can slow down when there is little to watch. */
  intervalMs: number | (() => number);
  enabled: () => boolean;
  tick: () => Promise<void>;
}): void {
  const interval = () => (typeof options.intervalMs === "function" ? options.intervalMs() : options.intervalMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loopId = 0;
  const loop = async (id: number) => {
    if (id !== loopId) return;
    if (document.visibilityState !== "hidden") await options.tick();
    if (id === loopId) timer = setTimeout(() => void loop(id), interval());
  };

  // Any change of what `enabled` reads restarts the loop, so coming back online loads at once.
  createEffect(
    on(options.enabled, (enabled) => {
      clearTimeout(timer);
      loopId++;
      if (enabled) void loop(loopId);
    }),
  );
  onCleanup(() => {
    loopId++;
    clearTimeout(timer);
  });
}
