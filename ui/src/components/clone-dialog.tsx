/** Clone a VM or image under a new name, optionally starting the clone right away. */
import { createMemo, createSignal } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { Vm } from "../api/types.ts";
import { useInventory } from "../context/inventory.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { suggestVmName, validateVmName } from "../lib/validate.ts";
import { vmNames } from "../stores/vms.ts";
import { Dialog } from "./dialog.tsx";
import { Field, FormError } from "./field.tsx";

export function CloneDialog(props: { vm: Vm; onClose: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const inventory = useInventory();
  const names = createMemo(() => vmNames(inventory.state.vms));
  const [name, setName] = createSignal(suggestVmName(`${suggestVmName(props.vm.name, new Set())}-clone`, names()));
  const [start, setStart] = createSignal(false);
  const [touched, setTouched] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const nameError = () => validateVmName(name(), names());

  const submit = async (e: Event) => {
    e.preventDefault();
    setTouched(true);
    const api = session.api();
    if (nameError() || !api) return;
    setBusy(true);
    setError(null);
    try {
      await tasks.run(() => api.cloneVm(props.vm.name, name(), start()), props.vm.name);
      props.onClose();
    } catch (err) {
      setError(errorDetail(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Clone ${props.vm.name}`} testid="dialog-clone" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} novalidate>
        <Field id="clone-name" label="New VM name" error={nameError()} showError={touched() || name() !== ""} testid="clone-name">
          {(aria) => (
            <input
              {...aria}
              type="text"
              autocomplete="off"
              spellcheck={false}
              value={name()}
              data-testid="clone-name-input"
              data-autofocus
              onInput={(e) => setName(e.currentTarget.value)}
              onBlur={() => setTouched(true)}
            />
          )}
        </Field>
        <label class="checkbox">
          <input type="checkbox" checked={start()} data-testid="clone-start-checkbox" onChange={(e) => setStart(e.currentTarget.checked)} />
          Start the clone (with VNC) when it is ready
        </label>
        <FormError message={error()} testid="clone-error" />
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={busy() || (touched() && !!nameError())} data-testid="clone-submit">
            Clone
          </button>
        </div>
      </form>
    </Dialog>
  );
}
