/**
 * Change a VM's CPU, memory, display and disk, or give it a new MAC address or serial number:
 * one `tart set`. The form opens with the VM's current values (`GET …/config`), checks what is
 * typed as the create form does (bounds, the host, tart's macOS minimum; a disk only grows) and
 * sends only what changed. While the VM runs, CPU, memory and display apply at its next start
 * and the rest is not offered; a suspended VM cannot be changed at all (its action is disabled).
 */
import { createMemo, createResource, createSignal, Match, Show, Switch, type JSX } from "solid-js";
import { createStore } from "solid-js/store";
import { errorDetail } from "../api/client.ts";
import type { Vm } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { createDialogAction } from "../lib/dialog-action.ts";
import { LIMITS, hasErrors, rangeHint } from "../lib/validate.ts";
import { isMacOs } from "../lib/vm-labels.ts";
import { settingsFieldOfDetail, settingsFormOf, settingsRequest, validateSettingsForm, type SettingsForm } from "../lib/vm-settings-form.ts";
import { Dialog } from "./dialog.tsx";
import { Field, FormError, type FieldAria } from "./field.tsx";
import { FormFooter } from "./form-footer.tsx";
import { NumberInput } from "./number-input.tsx";
import { TextField } from "./text-field.tsx";

export function VmSettingsDialog(props: { vm: Vm; onClose: () => void }) {
  const session = useSession();
  const [config] = createResource(
    () => session.api() ?? false,
    (api) => api.vmConfig(props.vm.name, true),
  );
  return (
    <Dialog title={`Settings of ${props.vm.name}`} testid="dialog-settings" onClose={props.onClose}>
      <Switch>
        <Match when={config.error}>
          <p class="form-error" role="alert" data-testid="settings-load-error">
            {errorDetail(config.error)}
          </p>
          <div class="dialog-actions">
            <button type="button" class="button" onClick={() => props.onClose()}>
              Close
            </button>
          </div>
        </Match>
        <Match when={config.latest}>{(cfg) => <SettingsFormView vm={props.vm} initial={settingsFormOf(cfg())} onClose={props.onClose} />}</Match>
        <Match when={true}>
          <p aria-live="polite">Loading the current settings…</p>
        </Match>
      </Switch>
    </Dialog>
  );
}

function SettingsFormView(props: { vm: Vm; initial: SettingsForm; onClose: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const initial = props.initial;
  const [form, setForm] = createStore<SettingsForm>({ ...initial });
  const [touched, setTouched] = createStore<Partial<Record<keyof SettingsForm, boolean>>>({});
  const [submitted, setSubmitted] = createSignal(false);
  const [nothing, setNothing] = createSignal(false);
  const action = createDialogAction(() => props.onClose());
  const running = () => props.vm.status === "running" || props.vm.state === "running";
  const host = () => session.state.health?.host ?? null;
  const errors = createMemo(() => validateSettingsForm(form, initial, { host: host(), os: props.vm.os, running: running() }));
  const serverField = () => (action.error() ? settingsFieldOfDetail(action.error()!) : null);
  const errorOf = (field: keyof SettingsForm) => errors()[field] ?? (serverField() === field ? action.error() : null);
  const show = (field: keyof SettingsForm) => submitted() || !!touched[field] || form[field] !== initial[field] || serverField() === field;
  const cpuMax = () => Math.min(LIMITS.cpu.max, host()?.cpu_cores ?? LIMITS.cpu.max);
  const memoryMax = () => Math.min(LIMITS.memory.max, host()?.memory_gb ?? LIMITS.memory.max);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    const api = session.api();
    const request = settingsRequest(form, initial);
    setNothing(request === null);
    if (hasErrors(errors()) || !api || !request) return;
    await action.run(() => tasks.run(() => api.changeVmSettings(props.vm.name, request), { vmName: props.vm.name, quiet: true }));
  };

  const numberInput =
    (field: "cpu" | "memory" | "disk", min: number, max: () => number, disabled = false) =>
    (aria: FieldAria): JSX.Element => (
      <NumberInput
        aria={aria}
        value={form[field]}
        min={min}
        max={max()}
        disabled={disabled}
        testid={`settings-${field}-input`}
        onInput={(value) => {
          setNothing(false);
          setForm(field, value);
        }}
        onBlur={() => setTouched(field, true)}
      />
    );

  return (
    <form onSubmit={(e) => void submit(e)} novalidate class="form-grid" data-testid="settings-form">
      <Show when={running()}>
        <p class="hint" data-testid="settings-running-note">
          {props.vm.name} is running: CPU, memory and display apply at its next start; stop it to grow the disk or renew its MAC address or serial
          number.
        </p>
      </Show>
      <div class="field-row">
        <Field id="settings-cpu" label="CPU cores" hint={rangeHint(LIMITS.cpu.min, cpuMax())} error={errorOf("cpu")} showError={show("cpu")} testid="settings-cpu">
          {numberInput("cpu", LIMITS.cpu.min, cpuMax)}
        </Field>
        <Field id="settings-memory" label="Memory (GB)" hint={rangeHint(LIMITS.memory.min, memoryMax())} error={errorOf("memory")} showError={show("memory")} testid="settings-memory">
          {numberInput("memory", LIMITS.memory.min, memoryMax)}
        </Field>
        <Field
          id="settings-disk"
          label="Disk (GB)"
          hint={initial.disk ? `Only grows: more than ${initial.disk}` : undefined}
          error={errorOf("disk")}
          showError={show("disk")}
          testid="settings-disk"
        >
          {numberInput("disk", LIMITS.disk.min, () => LIMITS.disk.max, running())}
        </Field>
      </div>
      <TextField
        id="settings-display"
        label="Display"
        hint="WIDTHxHEIGHT, e.g. 1920x1080; px or pt at the end for the unit"
        error={errorOf("display")}
        showError={show("display")}
        testid="settings-display"
        value={form.display}
        onInput={(value) => {
          setNothing(false);
          setForm("display", value);
        }}
        onBlur={() => setTouched("display", true)}
      />
      <label class="checkbox">
        <input
          type="checkbox"
          checked={form.randomMac}
          disabled={running()}
          data-testid="settings-random-mac"
          onChange={(e) => {
            setNothing(false);
            setForm("randomMac", e.currentTarget.checked);
          }}
        />
        Give it a new random MAC address (and so a new IP)
      </label>
      <Show when={isMacOs(props.vm)}>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={form.randomSerial}
            disabled={running()}
            data-testid="settings-random-serial"
            onChange={(e) => {
              setNothing(false);
              setForm("randomSerial", e.currentTarget.checked);
            }}
          />
          Give it a new random serial number
        </label>
      </Show>
      <Show when={nothing()}>
        <FormError message="Nothing has changed yet." testid="settings-nothing" />
      </Show>
      <FormFooter
        error={serverField() ? null : action.error()}
        errorTestid="settings-error"
        submitLabel="Apply"
        submitTestid="settings-submit"
        disabled={action.busy()}
        onCancel={() => props.onClose()}
      />
    </form>
  );
}
