/**
 * ClockProvider and useNow(): one shared one-second tick for elapsed times and "3 min ago"
 * labels, instead of a timer per component.
 */
import { createContext, createSignal, onCleanup, useContext, type Accessor, type JSX } from "solid-js";

const ClockContext = createContext<Accessor<number>>();

export function ClockProvider(props: { children: JSX.Element }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(timer));
  return <ClockContext.Provider value={now}>{props.children}</ClockContext.Provider>;
}

/** Milliseconds since the epoch, updated every second. */
export function useNow(): Accessor<number> {
  const now = useContext(ClockContext);
  if (!now) throw new Error("useNow() outside <ClockProvider>");
  return now;
}
