/**
 * Settings → Image repositories: the repositories added to the Pull dialog's catalogue beside the
 * built-in Cirrus Labs ones. Typed and checked as typed (host/path, no tag, not twice); Enter adds;
 * each entry can be removed. The server shows every new one to its registry before saving it:
 * its refusal (private, unknown, built in) stays under the field with the text still there.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { errorDetail } from "../api/client.ts";
import { useSession } from "../context/session.tsx";
import { useToasts } from "../context/toasts.tsx";
import { validateRepository } from "../lib/validate.ts";
import { FormError } from "./field.tsx";

export function RepositorySettings() {
  const session = useSession();
  const toasts = useToasts();
  const [saved, { mutate }] = createResource(session.api, async (api) => (await api.repositories()).repositories);
  const [text, setText] = createSignal("");
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const list = () => saved.latest ?? [];
  const problem = () => validateRepository(text(), list());
  const showProblem = () => (tried() || text().trim() !== "") && !!problem();

  const save = async (next: string[], done: string): Promise<boolean> => {
    const api = session.api();
    if (!api) return false;
    setBusy(true);
    setError(null);
    try {
      mutate((await api.setRepositories(next)).repositories);
      toasts.show("success", done);
      return true;
    } catch (err) {
      session.reportError(err);
      setError(errorDetail(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (problem() || busy()) return;
    const repository = text().trim();
    if (await save([...list(), repository], `${repository} added to the catalogue.`)) {
      setText("");
      setTried(false);
    }
  };

  return (
    <section class="card" aria-labelledby="repos-title" data-testid="repositories">
      <h2 id="repos-title">Image repositories</h2>
      <p class="muted">
        The Pull dialog lists the Cirrus Labs images. Add other repositories to list them there too: on ghcr.io or any registry that
        serves them without signing in. Registries on this Mac (localhost:5000) are read over plain HTTP.
      </p>
      <Show when={!saved.error} fallback={<p class="form-error">{errorDetail(saved.error)}</p>}>
        <Show when={saved.latest} fallback={<p>Loading…</p>}>
          <Show when={list().length > 0} fallback={<p class="muted" data-testid="repositories-empty">None added yet.</p>}>
            <ul class="repository-list" data-testid="repositories-list">
              <For each={list()}>
                {(repository) => (
                  <li class="repository-item" data-testid="repository-item" data-repository={repository}>
                    <code class="break">{repository}</code>
                    <button
                      type="button"
                      class="button small danger"
                      disabled={busy()}
                      aria-label={`Remove ${repository}`}
                      data-testid="repository-remove"
                      onClick={() => void save(list().filter((other) => other !== repository), `${repository} removed from the catalogue.`)}
                    >
                      Remove
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </Show>
      <form class="inline-form" data-testid="repositories-form" novalidate onSubmit={(e) => void add(e)}>
        <label for="repository-input">Add a repository</label>
        <input
          id="repository-input"
          type="text"
          autocomplete="off"
          spellcheck={false}
          placeholder="ghcr.io/owner/image"
          value={text()}
          aria-invalid={showProblem()}
          aria-describedby={showProblem() ? "repository-input-error" : undefined}
          data-testid="repository-input"
          onInput={(e) => {
            setText(e.currentTarget.value);
            setError(null);
          }}
        />
        <button type="submit" class="button primary" disabled={busy() || showProblem()} data-testid="repository-add">
          {busy() ? "Checking…" : "Add"}
        </button>
      </form>
      <Show when={showProblem()}>
        <p class="error-text" id="repository-input-error" role="alert" data-testid="repository-input-error">
          {problem()}
        </p>
      </Show>
      <FormError message={error()} testid="repositories-error" />
    </section>
  );
}
