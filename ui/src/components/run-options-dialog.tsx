/**
 * A VM's run options: shared folders (with where the guest finds them), the network (NAT,
 * bridged to one of the host's interfaces, softnet with allow/block lists, host-only), nested
 * virtualization, audio and the root disk's options. Tart keeps none of these, so the server
 * keeps them and every start runs with them; the dialog shows the exact `tart run` line as the
 * fields change, checks them with tart's rules as they are typed (lib/run-options-form.ts) and
 * saves with PUT /api/vms/{name}/run-options. A server refusal stays in the dialog.
 */
import { createMemo, createResource, createSignal, For, Index, Match, Show, Switch } from "solid-js";
import { createStore, produce } from "solid-js/store";
import { errorDetail } from "../api/client.ts";
import type { RunOptionsView, Vm } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { useToasts } from "../context/toasts.tsx";
import { createDialogAction } from "../lib/dialog-action.ts";
import { fieldOfProblem, formOf, formProblems, hintsOf, requestOf, runLine, type RunOptionsForm } from "../lib/run-options-form.ts";
import { CommandPreview } from "./command-preview.tsx";
import { Dialog } from "./dialog.tsx";
import { FormFooter } from "./form-footer.tsx";

export function RunOptionsDialog(props: { vm: Vm; onClose: () => void }) {
  const session = useSession();
  const [view] = createResource(
    () => session.api() ?? false,
    (api) => api.runOptions(props.vm.name),
  );
  return (
    <Dialog title={`Run options of ${props.vm.name}`} testid="dialog-run-options" onClose={props.onClose}>
      <Switch>
        <Match when={view.error}>
          <p class="form-error" role="alert" data-testid="run-options-load-error">
            {errorDetail(view.error)}
          </p>
        </Match>
        <Match when={view.latest}>{(v) => <RunOptionsFormView vm={props.vm} view={v()} onClose={props.onClose} />}</Match>
        <Match when={true}>
          <p aria-live="polite">Loading the run options…</p>
        </Match>
      </Switch>
    </Dialog>
  );
}

const MODES = [
  { mode: "nat", label: "NAT (tart's default)" },
  { mode: "bridged", label: "Bridged to a host interface" },
  { mode: "softnet", label: "Softnet (isolated)" },
  { mode: "host", label: "Host only" },
] as const;

function RunOptionsFormView(props: { vm: Vm; view: RunOptionsView; onClose: () => void }) {
  const session = useSession();
  const toasts = useToasts();
  const [form, setForm] = createStore<RunOptionsForm>(formOf(props.view.options));
  const [submitted, setSubmitted] = createSignal(false);
  const action = createDialogAction(() => props.onClose());
  const os = () => props.view.os;
  const facts = () => ({
    os: os(),
    tartVersion: session.state.health?.tart?.version ?? null,
    hostOs: null,
    interfaces: props.view.bridged_interfaces,
  });
  const problems = createMemo(() => formProblems(form, facts()));
  const shown = () => [...(submitted() ? problems() : problems().filter((p) => !/\.name: ""|\.path: ""/.test(p)))];
  const problemFor = (field: string) => shown().find((p) => fieldOfProblem(p) === field) ?? null;
  const hints = createMemo(() => hintsOf(form, os()));
  const hintFor = (name: string) => hints().find((h) => h.name === name.trim());

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    const api = session.api();
    if (problems().length || !api) return;
    await action.run(async () => {
      const saved = await api.saveRunOptions(props.vm.name, requestOf(form));
      toasts.show("success", saved.kept ? `Saved the run options of ${props.vm.name}: ${saved.command_line}` : `${props.vm.name} runs with tart's defaults again`);
    });
  };

  return (
    <form onSubmit={(e) => void submit(e)} novalidate class="form-grid" data-testid="run-options-form">
      <p class="hint">Tart keeps no run options: these are kept by this server and used by every start of {props.vm.name}.</p>
      <Show when={props.view.problems.length}>
        <p class="form-error" role="alert" data-testid="run-options-stale">
          As saved, a start would be refused: {props.view.problems.join("; ")}
        </p>
      </Show>
      <fieldset class="fieldset" data-testid="run-options-folders">
        <legend>Shared folders</legend>
        <Index each={form.folders}>
          {(folder, i) => (
            <div class="folder-row" data-testid={`folder-${i}`}>
              <div class="field">
                <label for={`folder-${i}-name`}>Name in the guest</label>
                <IdInput id={`folder-${i}-name`} value={folder().name} invalid={!!problemFor(`folder-${i}-name`)} onInput={(v) => setForm("folders", i, "name", v)} />
              </div>
              <div class="field grow">
                <label for={`folder-${i}-path`}>Folder on this Mac</label>
                <IdInput id={`folder-${i}-path`} placeholder="/Users/me/src" value={folder().path} invalid={!!problemFor(`folder-${i}-path`)} onInput={(v) => setForm("folders", i, "path", v)} />
              </div>
              <label class="checkbox">
                <input type="checkbox" checked={folder().readOnly} data-testid={`folder-${i}-ro`} onChange={(e) => setForm("folders", i, "readOnly", e.currentTarget.checked)} />
                Read-only
              </label>
              <button
                type="button"
                class="button small"
                aria-label={`Remove the shared folder ${folder().name || i + 1}`}
                data-testid={`folder-${i}-remove`}
                onClick={() => setForm("folders", produce((list) => list.splice(i, 1)))}
              >
                Remove
              </button>
              <Show when={problemFor(`folder-${i}-name`) ?? problemFor(`folder-${i}-path`)}>
                {(problem) => (
                  <p class="error-text full" role="alert" data-testid={`folder-${i}-error`}>
                    {problem()}
                  </p>
                )}
              </Show>
              <Show when={hintFor(folder().name)}>
                {(hint) => (
                  <p class="hint full mono" data-testid={`folder-${i}-hint`}>
                    {hint().mount_command ? `In the guest: ${hint().mount_command}, then ${hint().guest_path}` : `In the guest: ${hint().guest_path}`}
                  </p>
                )}
              </Show>
            </div>
          )}
        </Index>
        <button type="button" class="button small" data-testid="folder-add" onClick={() => setForm("folders", form.folders.length, { name: "", path: "", readOnly: false })}>
          Add a shared folder
        </button>
      </fieldset>
      <div class="field">
        <label for="run-network">Network</label>
        <select id="run-network" data-testid="run-network" value={form.mode} onChange={(e) => setForm("mode", e.currentTarget.value as RunOptionsForm["mode"])}>
          <For each={MODES}>
            {(m) => (
              <option value={m.mode} selected={m.mode === form.mode}>
                {m.label}
              </option>
            )}
          </For>
        </select>
      </div>
      <Show when={form.mode === "bridged"}>
        <div class="field">
          <label for="run-interface">Host interface</label>
          <IdInput id="run-interface" list="run-interfaces" value={form.iface} invalid={!!problemFor("network")} onInput={(v) => setForm("iface", v)} />
          <datalist id="run-interfaces">
            <For each={props.view.bridged_interfaces ?? []}>{(name) => <option value={name} />}</For>
          </datalist>
          <p class="hint" data-testid="run-interfaces-hint">
            This host has {(props.view.bridged_interfaces ?? []).join(", ") || "no interface to bridge to"}.
          </p>
        </div>
      </Show>
      <Show when={form.mode === "softnet"}>
        <div class="field-row">
          <div class="field">
            <label for="run-allow">Allow (CIDRs)</label>
            <IdInput id="run-allow" placeholder="192.168.0.0/24" value={form.allow} onInput={(v) => setForm("allow", v)} />
          </div>
          <div class="field">
            <label for="run-block">Block (CIDRs)</label>
            <IdInput id="run-block" placeholder="66.66.0.0/16" value={form.block} onInput={(v) => setForm("block", v)} />
          </div>
        </div>
      </Show>
      <Show when={problemFor("network")}>
        {(problem) => (
          <p class="error-text" role="alert" data-testid="run-network-error">
            {problem()}
          </p>
        )}
      </Show>
      <div class="field-row">
        <label class="checkbox">
          <input type="checkbox" checked={form.noAudio} data-testid="run-no-audio" onChange={(e) => setForm("noAudio", e.currentTarget.checked)} />
          No audio
        </label>
        <Show when={os() !== "darwin"}>
          <label class="checkbox">
            <input type="checkbox" checked={form.nested} data-testid="run-nested" onChange={(e) => setForm("nested", e.currentTarget.checked)} />
            Nested virtualization (M3 or later, macOS 15+)
          </label>
        </Show>
      </div>
      <div class="field">
        <label for="run-root-disk">Root disk options</label>
        <IdInput id="run-root-disk" placeholder="caching=cached,sync=none" value={form.rootDiskOpts} invalid={!!problemFor("root_disk_opts")} onInput={(v) => setForm("rootDiskOpts", v)} />
        <Show when={problemFor("root_disk_opts") ?? problemFor("nested")}>
          {(problem) => (
            <p class="error-text" role="alert" data-testid="run-root-disk-error">
              {problem()}
            </p>
          )}
        </Show>
      </div>
      <CommandPreview lines={[runLine(props.vm.name, form)]} testid="run-options-command" />
      <FormFooter error={action.error()} errorTestid="run-options-error" submitLabel="Save" submitTestid="run-options-submit" disabled={action.busy()} onCancel={() => props.onClose()} />
    </form>
  );
}

/** A text input for names, paths and options (identifiers, not words): its test id is its id. */
function IdInput(props: { id: string; value: string; onInput: (value: string) => void; invalid?: boolean; placeholder?: string; list?: string }) {
  return (
    <input
      id={props.id}
      type="text"
      autocomplete="off"
      spellcheck={false}
      list={props.list}
      placeholder={props.placeholder}
      value={props.value}
      aria-invalid={props.invalid === true}
      data-testid={props.id}
      onInput={(e) => props.onInput(e.currentTarget.value)}
    />
  );
}
