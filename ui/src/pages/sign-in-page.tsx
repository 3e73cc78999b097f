/**
 * Shown without an accepted token: explains where the token file is and takes a pasted token
 * (or the whole URL the server printed). While a token is being checked against an unreachable
 * server it says so instead of pretending the token was wrong.
 */
import { createSignal, Show } from "solid-js";
import { useSession } from "../context/session.tsx";

export function SignInPage() {
  const session = useSession();
  const [value, setValue] = createSignal("");
  const checking = () => session.state.auth === "checking";
  return (
    <main class="sign-in" id="main">
      <form
        class="card sign-in-card"
        data-testid="signin-form"
        aria-labelledby="signin-title"
        onSubmit={(e) => {
          e.preventDefault();
          session.signIn(value());
        }}
      >
        <h1 id="signin-title">de taartenfabriek</h1>
        <p>
          This page needs the server's access token. Open the link the <code>taartenfabriek</code> command printed, or paste
          the token from the token file:
        </p>
        <p>
          <code class="block" data-testid="signin-token-path">~/.tartvm-manager/token</code>
          <span class="muted small">
            (that is <code>&lt;data dir&gt;/token</code>; the default data dir is <code>~/.tartvm-manager</code>)
          </span>
        </p>
        <label for="signin-token">Access token</label>
        <input
          id="signin-token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={value()}
          data-testid="signin-token-input"
          onInput={(e) => setValue(e.currentTarget.value)}
          autofocus
        />
        <Show when={session.state.signInError}>
          <p class="form-error" role="alert" data-testid="signin-error">
            {session.state.signInError}
          </p>
        </Show>
        <Show when={checking() && !session.state.online}>
          <p class="form-error" role="alert" data-testid="signin-offline">
            Cannot reach the server to check the token — retrying. {session.state.lastError}
          </p>
        </Show>
        <button type="submit" class="button primary" disabled={!value().trim() || checking()} data-testid="signin-submit">
          {checking() ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
