/**
 * A pull cut off by the network is tried again, after a pause that doubles each time: a Wi-Fi
 * hiccup should not cost the user a restart by hand. Only network failures are retried (tart
 * prints the NSURLError's localizedDescription as `Error: <text>`); a registry's answer, such as a
 * 404 for an image that does not exist, would only come again. tart cannot resume, so every
 * attempt starts the download from 0 %; the task log says so.
 */
import { AppError } from "./errors.ts";
import type { CommandOutcome } from "./ports.ts";
import { TartCommandError } from "./tart-command-error.ts";
import { TaskCancelled } from "./task-cancel.ts";
import type { TaskContext } from "./task-manager.ts";
import { nowSeconds } from "./task.ts";
import { cleanLine } from "./text.ts";
import { sleepUnlessAborted } from "./abortable-sleep.ts";

export interface PullRetryPolicy {
  /** Retries after the first attempt (0: none). */
  retries: number;
  /** The pause before the first retry; each later one is twice the one before. */
  firstDelayMs: number;
}

/** Foundation's (English) texts for the URLErrors a later attempt can get past. */
const NETWORK_ERRORS: ReadonlySet<string> = new Set([
  "The network connection was lost.", // NSURLErrorNetworkConnectionLost
  "The Internet connection appears to be offline.", // NSURLErrorNotConnectedToInternet
  "A server with the specified hostname could not be found.", // NSURLErrorCannotFindHost
  "The request timed out.", // NSURLErrorTimedOut
  "Could not connect to the server.", // NSURLErrorCannotConnectToHost
  "A data connection is not currently allowed.", // NSURLErrorDataNotAllowed
]);

/** The network error tart failed with, or null when it failed otherwise (or it was not tart). */
export function networkErrorOf(error: unknown): string | null {
  if (!(error instanceof TartCommandError)) return null;
  for (const raw of error.outcome.stderr.split("\n")) {
    const line = cleanLine(raw).trim();
    if (line.startsWith("Error: ") && NETWORK_ERRORS.has(line.slice("Error: ".length))) return line.slice("Error: ".length);
  }
  return null;
}

/** The pause before retry `retry` (1 for the first). */
export const retryDelayMs = (policy: PullRetryPolicy, retry: number) => policy.firstDelayMs * 2 ** (retry - 1);

/** Runs `pull` until it succeeds, fails otherwise, or the retries are used up; returns the attempts made. */
export async function pullWithRetries(ctx: TaskContext, policy: PullRetryPolicy, pull: () => Promise<CommandOutcome>): Promise<number> {
  const attempts = policy.retries + 1;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) ctx.pull.restart(attempt);
    try {
      await pull();
      return attempt;
    } catch (error) {
      const network = networkErrorOf(error);
      if (network === null || ctx.signal.aborted) throw error;
      if (attempt >= attempts) {
        if (attempts === 1) throw error;
        ctx.log(`network error (${network}); gave up after ${attempts} attempts`);
        throw new AppError("tart_failed", `${network} (gave up after ${attempts} attempts)`);
      }
      const delayMs = retryDelayMs(policy, attempt);
      ctx.log(`network error (${network}); retrying in ${formatDelay(delayMs)}, attempt ${attempt + 1} of ${attempts}; tart starts the download again from 0%`);
      ctx.pull.retrying(attempt + 1, nowSeconds() + delayMs / 1000);
      if (!(await sleepUnlessAborted(delayMs, ctx.signal))) {
        throw new TaskCancelled(" while waiting to retry the pull; nothing was left behind");
      }
    }
  }
}

function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
