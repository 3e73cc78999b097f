/**
 * Settings: the host (disk, macOS VMs, caches, and Prune), the GitHub token used for the image
 * catalogue (set or clear; only a masked form is ever shown), the repositories added to the
 * catalogue, the private registries logged in to, and what this server runs with — app version,
 * tart version, data directory.
 */
import { createResource, createSignal, Show } from "solid-js";
import { errorDetail } from "../api/client.ts";
import { FormError } from "../components/field.tsx";
import { HostSection } from "../components/host-section.tsx";
import { RegistrySettings } from "../components/registry-settings.tsx";
import { RepositorySettings } from "../components/repository-settings.tsx";
import { useSession } from "../context/session.tsx";
import { useToasts } from "../context/toasts.tsx";

export function SettingsPage() {
  const session = useSession();
  const toasts = useToasts();
  const [status, { refetch }] = createResource(session.api, (api) => api.githubToken());
  const [tart] = createResource(session.api, (api) => api.tartVersion());
  const [token, setToken] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const save = async (value: string) => {
    const api = session.api();
    if (!api) return;
    setBusy(true);
    setError(null);
    try {
      await api.setGithubToken(value);
      setToken("");
      await refetch();
      toasts.show("success", value ? "GitHub token saved." : "GitHub token cleared.");
    } catch (err) {
      session.reportError(err);
      setError(errorDetail(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page-stack narrow">
      <HostSection />

      <section class="card" aria-labelledby="gh-title">
        <h2 id="gh-title">GitHub token</h2>
        <p class="muted">
          Optional: the Pull dialog lists the Cirrus Labs images without one. A classic token with the read:packages scope also lists the packages GitHub knows beyond those.
        </p>
        <p data-testid="github-token-status">
          <Show when={!status.error} fallback={<span class="form-error">{errorDetail(status.error)}</span>}>
            <Show when={status.latest} fallback="Loading…">
              {(s) => (
                <Show when={s().configured} fallback={<span>Not configured.</span>}>
                  Configured: <code data-testid="github-token-masked">{s().masked_token}</code>
                </Show>
              )}
            </Show>
          </Show>
        </p>
        <form
          class="inline-form"
          data-testid="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (token().trim()) void save(token().trim());
          }}
        >
          <label for="github-token">New token</label>
          <input
            id="github-token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            placeholder="ghp_…"
            value={token()}
            data-testid="github-token-input"
            onInput={(e) => setToken(e.currentTarget.value)}
          />
          <button type="submit" class="button primary" disabled={busy() || !token().trim()} data-testid="github-token-save">
            Save
          </button>
          <button
            type="button"
            class="button danger"
            disabled={busy() || !status.latest?.configured}
            data-testid="github-token-clear"
            onClick={() => void save("")}
          >
            Clear
          </button>
        </form>
        <FormError message={error()} testid="settings-error" />
      </section>

      <RepositorySettings />

      <RegistrySettings />

      <section class="card" aria-labelledby="about-title">
        <h2 id="about-title">About this server</h2>
        <dl class="facts facts-wide">
          <div>
            <dt>App version</dt>
            <dd data-testid="settings-app-version">{session.state.health?.version ?? "—"}</dd>
          </div>
          <div>
            <dt>Tart version</dt>
            <dd data-testid="settings-tart-version">
              <Show when={!tart.error} fallback={<span class="error-text">{errorDetail(tart.error)}</span>}>
                {tart.latest?.version ?? "…"}
              </Show>
            </dd>
          </div>
          <div>
            <dt>Tart path</dt>
            <dd class="mono break">{session.state.health?.tart?.path ?? "—"}</dd>
          </div>
          <div>
            <dt>Data directory</dt>
            <dd class="mono break" data-testid="settings-data-dir">{session.state.health?.data_dir ?? "—"}</dd>
          </div>
        </dl>
        <button type="button" class="button" data-testid="sign-out" onClick={() => session.signOut()}>
          Forget the token in this browser
        </button>
      </section>
    </div>
  );
}
