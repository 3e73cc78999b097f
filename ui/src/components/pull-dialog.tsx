/**
 * Pull an image: type an OCI reference (validated as you type) or pick one from the catalogue of
 * available images, which needs no token: the server always lists the built-in images and the
 * repositories added in Settings, grouped by OS, each with its tags (the newest with their size
 * and date, when the registry told them), how many local VMs came from it, and a note when the
 * registry could not be reached. A bare image name typed as the reference (`macos-sequoia-base`,
 * `ubuntu:22.04`) is offered as its full reference: click it, or press Enter, to take it. A
 * catalogue that fails to load says why, with Retry. The pull itself is followed in the
 * operations panel's progress bar.
 */
import { createMemo, createSignal, For, Match, onMount, Show, Switch } from "solid-js";
import { createStore } from "solid-js/store";
import { errorDetail } from "../api/client.ts";
import type { VmImage } from "../api/types.ts";
import { useNow } from "../context/clock.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import {
  bareNameSuggestions,
  catalogueView,
  defaultTag,
  filterImages,
  groupByOs,
  newestTags,
  pullReference,
  registryNote,
  tagChipLabel,
  tagSummary,
  vmCountLabel,
  type CatalogueLoad,
} from "../lib/catalogue.ts";
import { osLabel } from "../lib/vm-labels.ts";
import { createDialogAction } from "../lib/dialog-action.ts";
import { formatRelative } from "../lib/format.ts";
import { validateOciReference } from "../lib/validate.ts";
import { pullCommands } from "../lib/command-preview.ts";
import { CommandPreview } from "./command-preview.tsx";
import { fitWarnings, pulledBytes } from "../lib/fit-warnings.ts";
import { FitWarnings, useHostFacts } from "./fit-warnings.tsx";
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
  const hostFacts = useHostFacts();
  // Warned before the pull is sent; the server still refuses one that cannot fit with a 507.
  const warnings = createMemo(() => (refError() ? [] : fitWarnings(hostFacts(), { writesBytes: pulledBytes(load.images ?? [], ref()) })));
  // The catalogue and the token status, loaded by hand rather than with createResource: a
  // resource in error throws when read, which is what left this dialog on "Loading…" forever.
  const [load, setLoad] = createStore<CatalogueLoad>({ loading: true, error: null, images: null });
  const loadCatalogue = async () => {
    const api = session.api();
    if (!api) return;
    setLoad({ loading: true, error: null });
    const [images] = await Promise.allSettled([api.availableImages()]);
    if (images.status === "fulfilled") setLoad({ loading: false, images: images.value });
    else {
      session.reportError(images.reason);
      setLoad({ loading: false, error: errorDetail(images.reason) });
    }
  };
  onMount(() => void loadCatalogue());
  // A bare name typed as the reference: the catalogue's full references for it, the first one active.
  const suggestions = createMemo(() => bareNameSuggestions(ref(), load.images ?? []));
  const [active, setActive] = createSignal(0);
  const activeSuggestion = () => suggestions()[Math.min(active(), suggestions().length - 1)] ?? null;
  const take = (reference: string) => {
    setRef(reference);
    setActive(0);
    document.getElementById("pull-ref")?.focus();
  };
  const onRefKey = (e: KeyboardEvent) => {
    const count = suggestions().length;
    if (!count || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
    e.preventDefault();
    setActive((i) => (Math.min(i, count - 1) + (e.key === "ArrowDown" ? 1 : count - 1)) % count);
  };

  const view = createMemo(() => catalogueView(load));
  const errorMessage = () => {
    const v = view();
    return v.kind === "error" ? v.message : null;
  };
  const visible = createMemo(() => {
    const v = view();
    return v.kind === "list" ? filterImages(v.images, search()) : [];
  });
  const groups = createMemo(() => groupByOs(visible()));

  // The reference the server refused for space (507), offered again with force.
  const [refused, setRefused] = createSignal<string | null>(null);
  const pull = async (reference: string, force = false) => {
    const api = session.api();
    if (!api) return;
    setRefused(null);
    await action.run(() => tasks.run(() => api.pullImage(reference.trim(), force), { quiet: true }));
    if (action.status() === 507) setRefused(reference.trim());
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const offered = activeSuggestion();
    if (refError() && offered) return take(offered.reference);
    setTouched(true);
    if (!refError()) void pull(ref());
  };

  const settingsLink = (text: string) => (
    <button type="button" class="link-button" data-testid="catalogue-settings" onClick={() => props.onOpenSettings()}>
      {text}
    </button>
  );

  return (
    <Dialog title="Pull an image" testid="dialog-pull" onClose={props.onClose} wide>
      <form onSubmit={submit} novalidate class="pull-form">
        <TextField
          id="pull-ref"
          label="OCI reference"
          hint="host/path:tag, e.g. ghcr.io/cirruslabs/macos-sequoia-base:latest"
          placeholder="ghcr.io/cirruslabs/macos-sequoia-base:latest"
          error={refError()}
          showError={(touched() || ref() !== "") && suggestions().length === 0}
          testid="pull-ref"
          value={ref()}
          onInput={(value) => {
            setRef(value);
            setActive(0);
          }}
          onBlur={() => setTouched(ref() !== "")} // an empty field left for the catalogue is no mistake yet
          onKeyDown={onRefKey}
        />
        <button
          type="submit"
          class="button primary"
          disabled={action.busy() || ((touched() || ref() !== "") && !!refError() && suggestions().length === 0)}
          data-testid="pull-submit"
        >
          <Icon name="download" />
          <span>Pull</span>
        </button>
      </form>
      <FitWarnings warnings={warnings()} testid="pull-fit" />
      <CommandPreview lines={pullCommands(ref())} testid="pull-command" />
      <Show when={suggestions().length > 0}>
        <div class="ref-suggestions" data-testid="pull-suggestions">
          <p class="muted small" aria-live="polite">
            Did you mean{suggestions().length > 1 ? " one of these" : ""}? Enter takes <span class="mono">{activeSuggestion()?.reference}</span>.
          </p>
          <For each={suggestions()}>
            {(offer, index) => (
              <button
                type="button"
                class="suggestion"
                classList={{ active: offer === activeSuggestion() }}
                data-testid="pull-suggestion"
                data-reference={offer.reference}
                aria-current={offer === activeSuggestion() ? "true" : undefined}
                onMouseEnter={() => setActive(index())}
                onClick={() => take(offer.reference)}
              >
                <span class="mono">{offer.reference}</span>
                <span class="muted small"> · {osLabel(offer.image.os)}</span>
              </button>
            )}
          </For>
        </div>
      </Show>
      <FormError message={action.error()} testid="pull-error" />
      <Show when={refused()}>
        {(reference) => (
          <div class="failure-actions">
            <button type="button" class="button small" data-testid="pull-force" disabled={action.busy()} onClick={() => void pull(reference(), true)}>
              <Icon name="download" />
              <span>Pull anyway</span>
            </button>
          </div>
        )}
      </Show>

      <h3 class="subheading">Available images</h3>
      <Switch>
        <Match when={errorMessage()}>
          {(message) => (
          <div class="form-error catalogue-error" role="alert" data-testid="catalogue-error">
            <p>
              The catalogue could not be loaded: {message()}
            </p>
            <p>
              <button type="button" class="button small" data-testid="catalogue-retry" disabled={load.loading} onClick={() => void loadCatalogue()}>
                <Icon name="retry" />
                <span>{load.loading ? "Retrying…" : "Retry"}</span>
              </button>{" "}
              {settingsLink("Check the GitHub token in Settings")}, or type a reference above.
            </p>
          </div>
          )}
        </Match>
        <Match when={view().kind === "loading"}>
          <p aria-live="polite" data-testid="catalogue-loading">
            Loading the catalogue…
          </p>
        </Match>
        <Match when={view().kind === "empty"}>
          <p class="empty" data-testid="catalogue-empty" data-reason="empty">
            No images found in the catalogue. Type a reference above.
          </p>
        </Match>
        <Match when={view().kind === "list"}>
          <Show when={registryNote(load.images ?? [])}>
            {(note) => (
              <p class="stale-note" role="status" data-testid="catalogue-offline">
                {note()}
              </p>
            )}
          </Show>
          <label class="visually-hidden" for="catalogue-search">
            Search images
          </label>
          <input
            id="catalogue-search"
            type="search"
            class="search"
            placeholder="Search images"
            autocomplete="off"
            value={search()}
            data-testid="catalogue-search"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <Show when={visible().length > 0} fallback={<p class="empty" data-testid="catalogue-no-match">No image matches “{search()}”.</p>}>
            <div class="catalogue" data-testid="catalogue">
              <For each={groups()}>
                {(group) => (
                  <section class="catalogue-group" data-testid={`catalogue-group-${group.key}`} aria-label={group.label}>
                    <h4 class="catalogue-group-title">
                      {group.label} <span class="muted">({group.images.length})</span>
                    </h4>
                    <ul class="catalogue-list">
                      <For each={group.images}>{(image) => <CatalogueItem image={image} busy={action.busy()} onPull={(r) => void pull(r)} />}</For>
                    </ul>
                  </section>
                )}
              </For>
            </div>
          </Show>
        </Match>
      </Switch>
    </Dialog>
  );
}

function CatalogueItem(props: { image: VmImage; busy: boolean; onPull: (reference: string) => void }) {
  const now = useNow();
  const [tag, setTag] = createSignal(defaultTag(props.image));
  const selectId = `tag-${props.image.name}`;
  const localVms = () => props.image.local_vms ?? [];
  return (
    <li class="catalogue-item" data-testid={`catalogue-item-${props.image.name}`} data-source={props.image.source}>
      <div class="catalogue-text">
        <strong class="break">{props.image.name}</strong>
        <Show when={props.image.source === "added"}>
          {" "}
          <span class="badge badge-image" data-testid="catalogue-added">added</span>
        </Show>
        <Show when={localVms().length > 0}>
          {" "}
          <span class="badge badge-image" data-testid="catalogue-local-vms" title={`Local VMs made from it: ${localVms().join(", ")}`}>
            {vmCountLabel(localVms().length)}
          </span>
        </Show>
        <Show when={props.image.description}>
          <p class="muted">{props.image.description}</p>
        </Show>
        <p class="muted small" data-testid="catalogue-facts">
          {osLabel(props.image.os)} · <span class="mono">{pullReference(props.image, tag())}</span>
          <Show when={tagSummary(props.image, tag())}>{(summary) => <> · {summary()}</>}</Show>
          <Show when={props.image.tag_details?.[tag()]?.uploaded_at ?? props.image.updated_at}>
            {(when) => <> · pushed {formatRelative(when(), now())}</>}
          </Show>
          <Show when={props.image.pulled_tags?.includes(tag())}>
            {" "}
            <span class="badge badge-image" data-testid="catalogue-pulled">pulled</span>
          </Show>
        </p>
        <Show when={props.image.tags.length > 1 && newestTags(props.image).length > 0}>
          <div class="tag-chips" role="group" aria-label={`Newest tags of ${props.image.name}`} data-testid="catalogue-newest">
            <For each={newestTags(props.image)}>
              {(t) => (
                <button
                  type="button"
                  class="tag-chip"
                  aria-pressed={t === tag()}
                  data-testid="catalogue-tag-chip"
                  data-tag={t}
                  onClick={() => setTag(t)}
                >
                  {tagChipLabel(props.image, t, now())}
                </button>
              )}
            </For>
          </div>
        </Show>
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
