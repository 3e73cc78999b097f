/**
 * Create a working VM from an image (or another VM) with its own CPU, memory and disk. Limits
 * are checked as the user types (same rules as the server); the defaults come from the source
 * VM where it reports them, else 4 cores / 8 GB / 50 GB.
 */
import { createMemo, createSignal, For } from "solid-js";
import { createStore } from "solid-js/store";
import { useInventory } from "../context/inventory.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { createDialogAction } from "../lib/dialog-action.ts";
import { gigabytes } from "../lib/vm-actions.ts";
import { hasErrors, LIMITS, parseWholeNumber, suggestVmName, validateCreateForm, type CreateForm } from "../lib/validate.ts";
import { createSources, isOci, vmNames } from "../stores/vms.ts";
import { Dialog } from "./dialog.tsx";
import { Field } from "./field.tsx";
import { FormFooter } from "./form-footer.tsx";
import { TextField } from "./text-field.tsx";

export function CreateDialog(props: { source?: string; onClose: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const inventory = useInventory();
  const names = createMemo(() => vmNames(inventory.state.vms));
  const sources = createMemo(() => createSources(inventory.state.vms));
  const initialSource = props.source ?? sources()[0]?.name ?? "";
  const sourceVm = inventory.state.vms.find((vm) => vm.name === initialSource);

  const [form, setForm] = createStore<CreateForm>({
    name: initialSource ? suggestVmName(initialSource, names()) : "",
    source: initialSource,
    cpu: String(sourceVm?.cpu ?? 4),
    memory: String(gigabytes(sourceVm?.memory) ?? 8),
    disk: String(Math.max(gigabytes(sourceVm?.disk_size) ?? 50, 1)),
  });
  const [touched, setTouched] = createStore<Partial<Record<keyof CreateForm, boolean>>>({});
  const [submitted, setSubmitted] = createSignal(false);
  const action = createDialogAction(() => props.onClose());
  const errors = createMemo(() => validateCreateForm(form, names()));
  const show = (field: keyof CreateForm) => submitted() || !!touched[field];

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    const api = session.api();
    if (hasErrors(errors()) || !api) return;
    await action.run(() =>
      tasks.run(
        () =>
          api.createVm({
            name: form.name,
            source_vm: form.source,
            cpu: parseWholeNumber(form.cpu) ?? 0,
            memory: parseWholeNumber(form.memory) ?? 0,
            disk_size: parseWholeNumber(form.disk) ?? 0,
          }),
        form.name,
      ),
    );
  };

  const numberInput = (field: "cpu" | "memory" | "disk", min: number, max: number) => (aria: Record<string, unknown>) => (
    <input
      {...aria}
      type="number"
      inputmode="numeric"
      min={min}
      max={max}
      step="1"
      value={form[field]}
      data-testid={`create-${field}-input`}
      onInput={(e) => setForm(field, e.currentTarget.value)}
      onBlur={() => setTouched(field, true)}
    />
  );

  return (
    <Dialog title="Create VM" testid="dialog-create" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} novalidate class="form-grid">
        <Field id="create-source" label="From image or VM" error={errors().source} showError={show("source")} testid="create-source">
          {(aria) => (
            <select {...aria} value={form.source} data-testid="create-source-select" onChange={(e) => setForm("source", e.currentTarget.value)}>
              <For each={sources()}>
                {(vm) => (
                  // `selected` per option: the select's value is set before <For> adds its options.
                  <option value={vm.name} selected={vm.name === form.source}>
                    {vm.name}
                    {isOci(vm) ? " (image)" : ""}
                  </option>
                )}
              </For>
            </select>
          )}
        </Field>
        <TextField
          id="create-name"
          label="Name"
          error={errors().name}
          showError={show("name") || form.name !== ""}
          testid="create-name"
          value={form.name}
          onInput={(value) => setForm("name", value)}
          onBlur={() => setTouched("name", true)}
        />
        <div class="field-row">
          <Field id="create-cpu" label="CPU cores" hint={`${LIMITS.cpu.min}–${LIMITS.cpu.max}`} error={errors().cpu} showError={show("cpu") || form.cpu !== ""} testid="create-cpu">
            {numberInput("cpu", LIMITS.cpu.min, LIMITS.cpu.max)}
          </Field>
          <Field id="create-memory" label="Memory (GB)" hint={`${LIMITS.memory.min}–${LIMITS.memory.max}`} error={errors().memory} showError={show("memory") || form.memory !== ""} testid="create-memory">
            {numberInput("memory", LIMITS.memory.min, LIMITS.memory.max)}
          </Field>
          <Field id="create-disk" label="Disk (GB)" hint={`${LIMITS.disk.min}–${LIMITS.disk.max}`} error={errors().disk} showError={show("disk") || form.disk !== ""} testid="create-disk">
            {numberInput("disk", LIMITS.disk.min, LIMITS.disk.max)}
          </Field>
        </div>
        <FormFooter
          error={action.error()}
          errorTestid="create-error"
          submitLabel="Create"
          submitTestid="create-submit"
          disabled={action.busy()}
          onCancel={() => props.onClose()}
        />
      </form>
    </Dialog>
  );
}
