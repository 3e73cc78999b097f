/**
 * Pull an image: type an OCI reference (validated as you type) or pick one from the catalogue of
 * available images (which needs a GitHub token — the dialog says so rather than showing an
 * unexplained empty list). The pull itself is followed in the operations panel's progress bar.
 */
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { VmImage } from "../api/types.ts";
import { useNow } from "../context/clock.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { defaultTag, filterImages, pullReference } from "../lib/catalogue.ts";
import { createDialogAction } from "../lib/dialog-action.ts";
import { formatRelative } from "../lib/format.ts";
import { validateOciReference } from "../lib/validate.ts";
import { Dialog } from "./dialog.tsx";
import { FormError } from "./field.tsx";
import { Icon } from "./icons.tsx";
import { TextField } from "./text-field.tsx";

export function PullDialog(props: { onClose: () => void; onOpenSettings: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const [ref, setRef] = createSignal("");
  const [touched, setTouched] = createSignal(false);
  const action = createDialogAction(() => props.onClose());
  const [search, setSearch] = createSignal("");
  const refError = () => validateOciReference(ref());

  const [catalogue] = createResource(session.api, (api) => api.availableImages());
  const [github] = createResource(session.api, (api) => api.githubToken());
  const visible = createMemo(() => filterImages(catalogue.latest ?? [], search()));

  const pull = async (reference: string) => {
    const api = session.api();
    if (!api) return;
    await action.run(() => tasks.run(() => api.pullImage(reference.trim())));
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setTouched(true);
    if (!refError()) void pull(ref());
  };

  return (
    <Dialog title="Pull an image" testid="dialog-pull" onClose={props.onClose} wide>
      <form onSubmit={submit} novalidate class="pull-form">
        <TextField
          id="pull-ref"
          label="OCI reference"
          hint="host/path:tag, e.g. ghcr.io/cirruslabs/macos-sequoia-base:latest"
          placeholder="ghcr.io/cirruslabs/macos-sequoia-base:latest"
          error={refError()}
          showError={touched() || ref() !== ""}
          testid="pull-ref"
          value={ref()}
          onInput={(value) => setRef(value)}
          onBlur={() => setTouched(true)}
        />
        <button type="submit" class="button primary" disabled={action.busy() || ((touched() || ref() !== "") && !!refError())} data-testid="pull-submit">
          <Icon name="download" />
          <span>Pull</span>
        </button>
      </form>
      <FormError message={action.error()} testid="pull-error" />

      <h3 class="subheading">Available images</h3>
      <Switch>
        <Match when={catalogue.error}>
          <p class="form-error" data-testid="catalogue-error">
            {errorDetail(catalogue.error)}
          </p>
        </Match>
        <Match when={catalogue.loading && !catalogue.latest}>
          <p aria-live="polite">Loading the catalogue…</p>
        </Match>
        <Match when={(catalogue.latest ?? []).length === 0}>
          <p class="empty" data-testid="catalogue-empty">
            <Show when={github.latest && !github.latest.configured} fallback="No images found in the catalogue.">
              The catalogue of Cirrus Labs images needs a GitHub token.{" "}
              <button type="button" class="link-button" onClick={() => props.onOpenSettings()}>
                Set one in Settings
              </button>
              , or type a reference above.
            </Show>
          </p>
        </Match>
        <Match when={true}>
          <label class="visually-hidden" for="catalogue-search">
            Search images
          </label>
          <input
            id="catalogue-search"
            type="search"
            class="search"
            placeholder="Search images"
            value={search()}
            data-testid="catalogue-search"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <ul class="catalogue" data-testid="catalogue">
            <For each={visible()}>{(image) => <CatalogueItem image={image} busy={action.busy()} onPull={(r) => void pull(r)} />}</For>
          </ul>
        </Match>
      </Switch>
    </Dialog>
  );
}

function CatalogueItem(props: { image: VmImage; busy: boolean; onPull: (reference: string) => void }) {
  const now = useNow();
  const [tag, setTag] = createSignal(defaultTag(props.image));
  const selectId = `tag-${props.image.name}`;
  return (
    <li class="catalogue-item" data-testid={`catalogue-item-${props.image.name}`}>
      <div class="catalogue-text">
        <strong>{props.image.name}</strong>
        <Show when={props.image.description}>
          <p class="muted">{props.image.description}</p>
        </Show>
        <p class="muted small">
          <span class="mono">{props.image.url}</span> · updated {formatRelative(props.image.updated_at, now())}
        </p>
      </div>
      <div class="catalogue-controls">
        <label class="visually-hidden" for={selectId}>
          Tag of {props.image.name}
        </label>
        <select id={selectId} value={tag()} data-testid="catalogue-tag" onChange={(e) => setTag(e.currentTarget.value)}>
          <For each={props.image.tags.length ? props.image.tags : [tag()]}>{(t) => (
            <option value={t} selected={t === tag()}>
              {t}
            </option>
          )}</For>
        </select>
        <button
          type="button"
          class="button small"
          disabled={props.busy}
          aria-label={`Pull ${props.image.name}:${tag()}`}
          data-testid={`catalogue-pull-${props.image.name}`}
          onClick={() => props.onPull(pullReference(props.image, tag()))}
        >
          <Icon name="download" />
          <span>Pull</span>
        </button>
      </div>
    </li>
  );
}
