// tart's Ctrl+C (spec §1.1): main ignores the default SIGINT action and installs a handler that
// cancels the running command; the command's cancellation handlers clean up (a pull removes its
// temporary directory and host lock, a clone its half-copied tmp VM; spec §4.7, §4.8) and the
// command fails with exit 1. Commands register their clean-ups here, innermost last, as Swift's
// withTaskCancellationHandler nests; `run` keeps its own SIGINT meaning (Stopping VM...).
import { eprintln } from "./output.ts";

const cleanups: (() => void)[] = [];
let installed = false;

function onSigint(): void {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  // The exact text is not established (spec §7); Swift would describe the cancellation so.
  eprintln("Error: CancellationError()");
  process.exit(1);
}

/** Runs `cleanup` if the command is cancelled before the returned function is called. */
export function onCancel(cleanup: () => void): () => void {
  if (!installed) process.on("SIGINT", onSigint);
  installed = true;
  cleanups.push(cleanup);
  return () => {
    const at = cleanups.lastIndexOf(cleanup);
    if (at >= 0) cleanups.splice(at, 1);
  };
}
