/**
 * Settings → Private registries: log tart in to a registry (host, username, password; the
 * password goes to `tart login --password-stdin` and is never shown again or kept here), list the
 * hosts this server logged in to, and log out of one. Each is a task, followed in the panel.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { errorDetail } from "../api/client.ts";
import type { Task } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { validateRegistryHost } from "../lib/validate.ts";
import { Field, FormError } from "./field.tsx";
import { TextField } from "./text-field.tsx";

export function RegistrySettings() {
  const session = useSession();
  const tasks = useTasks();
  const [list, { refetch }] = createResource(session.api, async (api) => (await api.registries()).registries);
  const [form, setForm] = createStore({ host: "", username: "", password: "" });
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const hostError = () => validateRegistryHost(form.host);
  const missing = () => (!form.username.trim() ? "Enter the username." : !form.password ? "Enter the password or token." : null);

  /** Runs a login or logout task and reloads the list once it has ended. */
  const follow = async (start: () => Promise<Task>) => {
    setBusy(true);
    setError(null);
    try {
      const task = await tasks.run(start, { quiet: true });
      for (let i = 0; i < 600; i++) {
        const now = tasks.state.byId[task.id];
        if (now?.status === "completed" || now?.status === "failed") {
          if (now.status === "failed") setError(now.error ?? "the task failed");
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      await refetch();
      return tasks.state.byId[task.id]?.status === "completed";
    } catch (err) {
      setError(errorDetail(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const login = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    const api = session.api();
    if (!api || hostError() || missing() || busy()) return;
    const { host, username, password } = form;
    setForm("password", ""); // not kept in the page longer than the request needs it
    if (await follow(() => api.registryLogin(host.trim(), username.trim(), password))) {
      setForm({ host: "", username: "" });
      setTried(false); // a fresh, empty form is no mistake yet
    }
  };

  return (
    <section class="card" aria-labelledby="registries-title" data-testid="registry-settings">
      <h2 id="registries-title">Private registries</h2>
      <p class="muted">tart keeps the credentials in the Keychain; this server only remembers which hosts it logged in to.</p>
      <Show when={(list.latest ?? []).length > 0} fallback={<p class="muted" data-testid="registries-empty">No registry logged in to from here.</p>}>
        <ul class="repository-list" data-testid="registries-list">
          <For each={list.latest}>
            {(entry) => (
              <li data-testid={`registry-${entry.host}`}>
                <span class="mono break">{entry.host}</span> <span class="muted small">as {entry.username}</span>{" "}
                <button
                  type="button"
                  class="button small"
                  aria-label={`Log out of ${entry.host}`}
                  disabled={busy()}
                  onClick={() => {
                    const api = session.api();
                    if (api) void follow(() => api.registryLogout(entry.host));
                  }}
                >
                  Log out
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form class="form-grid" novalidate data-testid="registry-login-form" onSubmit={(e) => void login(e)}>
        <TextField id="registry-host" label="Registry host" hint="e.g. registry.example.com:5000" error={hostError()} showError={tried() || form.host !== ""} testid="registry-host" value={form.host} onInput={(v) => setForm("host", v)} onBlur={() => {}} />
        <TextField id="registry-username" label="Username" error={null} showError={false} testid="registry-username" value={form.username} onInput={(v) => setForm("username", v)} onBlur={() => {}} />
        <Field id="registry-password" label="Password or token" hint="sent to tart on its standard input, never kept here" error={null} showError={false} testid="registry-password">
          {(aria) => (
            <input
              id={aria.id}
              aria-describedby={aria["aria-describedby"]}
              type="password"
              autocomplete="off"
              value={form.password}
              data-testid="registry-password-input"
              onInput={(e) => setForm("password", e.currentTarget.value)}
            />
          )}
        </Field>
        <FormError message={(tried() ? missing() : null) ?? error()} testid="registry-error" />
        <div class="dialog-actions">
          <button type="submit" class="button primary" disabled={busy()} data-testid="registry-login">
            {busy() ? "Working…" : "Log in"}
          </button>
        </div>
      </form>
    </section>
  );
}
