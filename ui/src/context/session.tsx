/**
 * SessionProvider: picks up the token (URL fragment — at load and on every later hash change —
 * or localStorage), checks it with `GET /api/health`, and keeps checking so a server that goes away shows "reconnecting" and one
 * that comes back resumes by itself. useSession() gives the API client for the current token —
 * null until signed in — and `reportError`, which every caller uses so a 401 anywhere leads
 * back to the sign-in screen.
 */
import { createContext, createEffect, createMemo, onCleanup, useContext, type JSX } from "solid-js";
import { createStore, reconcile, unwrap } from "solid-js/store";
import { createApiClient, errorDetail, isUnauthorized, isUnreachable, type ApiClient } from "../api/client.ts";
import type { Health } from "../api/types.ts";
import { normalizeToken, pickUpToken, storeToken } from "../lib/token.ts";
import { safeLocalStorage } from "../lib/browser.ts";
import { healthInterval, initialSession, sessionReducer, tartState, type SessionAction, type SessionState } from "../stores/session.ts";

export interface SessionValue {
  state: SessionState;
  /** The client for the accepted (or being checked) token. */
  api: () => ApiClient | null;
  signIn: (pasted: string) => void;
  signOut: () => void;
  /** Re-checks health now (the Retry button of the offline banner). */
  recheck: () => void;
  /** Feeds a failed request into the session: 401 signs out, status 0 marks the server offline. */
  reportError: (err: unknown) => void;
  /** The event stream went up (health comes as events: stop checking) or down (check now, then poll). */
  setLive: (live: boolean) => void;
  /** A health event from the stream. */
  healthReceived: (health: Health) => void;
}

const SessionContext = createContext<SessionValue>();

export function SessionProvider(props: { children: JSX.Element }) {
  const storage = safeLocalStorage();
  const pickup = pickUpToken(window.location, storage);
  // Remove the token from the address bar before anything can copy or bookmark it.
  if (pickup.cleanedUrl !== null) window.history.replaceState(window.history.state, "", pickup.cleanedUrl);

  const [state, setState] = createStore<SessionState>(initialSession(pickup.token));
  const dispatch = (action: SessionAction) => setState(reconcile(sessionReducer(unwrap(state), action)));
  const api = createMemo(() => (state.token ? createApiClient({ token: state.token }) : null));

  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0; // answers for an older token are ignored

  const schedule = () => {
    clearTimeout(timer);
    // While the stream is up health comes as events; only tart's first check, which may end
    // between a health answer and the stream's start, is still asked after.
    const needed = !state.live || tartState(state.health) === "checking";
    if (state.auth !== "signed-out" && needed) timer = setTimeout(check, healthInterval(state));
  };

  async function check() {
    const client = api();
    if (!client) return;
    const mine = ++generation;
    try {
      const health = await client.health();
      if (mine !== generation) return;
      dispatch({ type: "healthy", health });
    } catch (err) {
      if (mine !== generation) return;
      reportError(err);
    }
    schedule();
  }

  function reportError(err: unknown) {
    if (isUnauthorized(err)) {
      const wasSignedIn = state.auth === "signed-in";
      storeToken(storage, null);
      dispatch({
        type: "unauthorized",
        message: wasSignedIn
          ? "The server no longer accepts the saved token (it may have been regenerated). Paste the current one."
          : "That token was not accepted by the server.",
      });
      clearTimeout(timer);
    } else if (isUnreachable(err)) {
      dispatch({ type: "unreachable", error: errorDetail(err), at: Date.now() });
    }
  }

  // The printed `…/#token=…` URL pasted into a tab already open on the app changes only the
  // fragment: no page load, so pick the token up here too (then strip it from the address bar).
  const onHashChange = () => {
    const next = pickUpToken(window.location, storage);
    if (next.cleanedUrl === null || !next.token) return;
    window.history.replaceState(window.history.state, "", next.cleanedUrl);
    if (next.token === state.token && state.auth === "signed-in") return;
    generation++; // an answer for the previous token no longer counts
    dispatch({ type: "checking", token: next.token });
  };
  window.addEventListener("hashchange", onHashChange);
  onCleanup(() => window.removeEventListener("hashchange", onHashChange));

  // Whenever the token changes (start-up, sign-in), check it at once.
  createEffect(() => {
    if (state.token) void check();
  });
  onCleanup(() => clearTimeout(timer));

  const value: SessionValue = {
    state,
    api,
    signIn(pasted) {
      const token = normalizeToken(pasted);
      if (!token) return;
      storeToken(storage, token);
      dispatch({ type: "checking", token });
    },
    signOut() {
      storeToken(storage, null);
      generation++;
      clearTimeout(timer);
      dispatch({ type: "signedOut" });
    },
    recheck: () => void check(),
    reportError,
    setLive(live) {
      if (live === state.live) return;
      dispatch({ type: "live", live });
      if (!live) void check();
    },
    healthReceived: (health) => dispatch({ type: "healthy", health }),
  };
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession() outside <SessionProvider>");
  return value;
}
