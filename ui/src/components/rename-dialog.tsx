/**
 * Rename a stopped local VM. The new name is checked as it is typed, with the same rules as a
 * clone's target (the server's name grammar, names ignoring case); the server refuses a running
 * VM and a name taken meanwhile, and that detail stays in the dialog.
 */
import { createMemo, createSignal } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useInventory } from "../context/inventory.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { createDialogAction } from "../lib/dialog-action.ts";
import { validateVmName } from "../lib/validate.ts";
import { vmNames } from "../stores/vms.ts";
import { Dialog } from "./dialog.tsx";
import { FormFooter } from "./form-footer.tsx";
import { TextField } from "./text-field.tsx";

export function RenameDialog(props: { vm: Vm; onClose: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const inventory = useInventory();
  const names = createMemo(() => vmNames(inventory.state.vms));
  const [name, setName] = createSignal(props.vm.name);
  const [touched, setTouched] = createSignal(false);
  const action = createDialogAction(() => props.onClose());
  // Its own name is "taken" too: renaming to it (in any case) changes nothing.
  const nameError = () => validateVmName(name(), names());

  const submit = async (e: Event) => {
    e.preventDefault();
    setTouched(true);
    const api = session.api();
    if (nameError() || !api) return;
    await action.run(() => tasks.run(() => api.renameVm(props.vm.name, name()), { vmName: props.vm.name, quiet: true }));
  };

  return (
    <Dialog title={`Rename ${props.vm.name}`} testid="dialog-rename" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} novalidate>
        <TextField
          id="rename-name"
          label="New name"
          hint="Letters, digits, dot, underscore and hyphen; the VM must be stopped."
          error={nameError()}
          showError={touched() || name() !== props.vm.name}
          testid="rename-name"
          value={name()}
          onInput={(value) => setName(value)}
          onBlur={() => setTouched(true)}
        />
        <FormFooter
          error={action.error()}
          errorTestid="rename-error"
          submitLabel="Rename"
          submitTestid="rename-submit"
          disabled={action.busy() || ((touched() || name() !== props.vm.name) && !!nameError())}
          onCancel={() => props.onClose()}
        />
      </form>
    </Dialog>
  );
}
