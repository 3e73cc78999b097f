/**
 * The session: which token the UI holds, whether the server accepted it, and whether the server
 * is reachable at all. Driven by the health check (at sign-in, then every few seconds) so that
 * "token rejected" leads to the sign-in screen and "server gone" to a reconnecting banner —
 * never a frozen page. Pure reducer; the provider applies it.
 */
import type { Health } from "../api/types.ts";

export type AuthState = "checking" | "signed-in" | "signed-out";

export interface SessionState {
  token: string | null;
  auth: AuthState;
  /** Why the last sign-in attempt failed, shown on the sign-in form. */
  signInError: string | null;
  health: Health | null;
  online: boolean;
  /** Consecutive failed health checks while signed in; drives the retry backoff. */
  failures: number;
  offlineSince: number | null;
  lastError: string | null;
  /** The event stream is up: changes arrive by themselves, so nothing polls. */
  live: boolean;
}

export type SessionAction =
  | { type: "checking"; token: string }
  | { type: "healthy"; health: Health }
  | { type: "unauthorized"; message: string }
  | { type: "unreachable"; error: string; at: number }
  | { type: "signedOut" }
  | { type: "live"; live: boolean };

export const initialSession = (token: string | null): SessionState => ({
  token,
  auth: token ? "checking" : "signed-out",
  signInError: null,
  health: null,
  online: true,
  failures: 0,
  offlineSince: null,
  lastError: null,
  live: false,
});

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case "checking":
      return { ...state, token: action.token, auth: "checking", signInError: null };
    case "healthy":
      return { ...state, auth: "signed-in", health: action.health, online: true, failures: 0, offlineSince: null, lastError: null, signInError: null };
    case "unauthorized":
      // A token that worked before and now fails means the server's token changed: sign in again.
      return { ...state, token: null, auth: "signed-out", signInError: action.message, online: true, failures: 0, offlineSince: null };
    case "unreachable":
      // Keep the token and whatever we last knew: the banner says "reconnecting" and the
      // health loop backs off until the server answers again.
      return { ...state, online: false, failures: state.failures + 1, offlineSince: state.offlineSince ?? action.at, lastError: action.error };
    case "signedOut":
      return initialSession(null);
    case "live":
      // A stream that is up proves the server is there.
      return action.live ? { ...state, live: true, online: true, failures: 0, offlineSince: null, lastError: null } : { ...state, live: false };
  }
}

/** While the server is still checking tart, ask again this soon: the answer takes a moment. */
export const CHECKING_INTERVAL_MS = 500;

/**
 * Milliseconds until the next health check: every 5 s when fine, soon while tart is still being
 * checked, backing off to 10 s when the server does not answer.
 */
export function healthInterval(state: Pick<SessionState, "online" | "failures"> & { health?: Health | null }): number {
  if (!state.online) return Math.min(10_000, 1000 * 2 ** Math.max(0, state.failures - 1));
  if (tartState(state.health ?? null) === "checking") return CHECKING_INTERVAL_MS;
  return 5000;
}

/**
 * What the UI knows about tart: "checking" while the server's first look is still running (its
 * `available: false` then means "not known yet", not "missing"), "unknown" before any health
 * answer, then "available" or "missing".
 */
export type TartState = "unknown" | "checking" | "available" | "missing";

export function tartState(health: Health | null): TartState {
  if (!health?.tart) return "unknown";
  if (health.tart.checking) return "checking";
  return health.tart.available ? "available" : "missing";
}

/** Whether tart is missing, and the server's advice on installing it; null while checking or fine. */
export function tartProblem(health: Health | null): string | null {
  if (tartState(health) !== "missing") return null;
  return health!.tart.error || "tart was not found. Install it with: brew install cirruslabs/cli/tart";
}
