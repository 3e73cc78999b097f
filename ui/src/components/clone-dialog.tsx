/**
 * Clone a VM or image under a new name, optionally starting the clone right away; warns first
 * when the clone's disk would not fit the free space, or a macOS clone could not start (two
 * macOS VMs run already), or an image not pulled yet would not fit (fit-warnings.tsx).
 */
import { createMemo, createSignal } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useInventory } from "../context/inventory.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { createDialogAction } from "../lib/dialog-action.ts";
import { suggestVmName, validateVmName } from "../lib/validate.ts";
import { vmNames } from "../stores/vms.ts";
import { cloneCommands } from "../lib/command-preview.ts";
import { CommandPreview } from "./command-preview.tsx";
import { fitWarnings } from "../lib/fit-warnings.ts";
import { gigabytes } from "../lib/vm-actions.ts";
import { FitWarnings, useHostFacts } from "./fit-warnings.tsx";
import { Dialog } from "./dialog.tsx";
import { FormFooter } from "./form-footer.tsx";
import { TextField } from "./text-field.tsx";

export function CloneDialog(props: { vm: Vm; onClose: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const inventory = useInventory();
  const names = createMemo(() => vmNames(inventory.state.vms));
  const [name, setName] = createSignal(suggestVmName(`${suggestVmName(props.vm.name, new Set())}-clone`, names()));
  const [start, setStart] = createSignal(false);
  const [touched, setTouched] = createSignal(false);
  const action = createDialogAction(() => props.onClose());
  const nameError = () => validateVmName(name(), names());
  const hostFacts = useHostFacts();
  const warnings = createMemo(() =>
    fitWarnings(hostFacts(), { diskGb: gigabytes(props.vm.disk_size), macos: props.vm.os === "darwin" && start(), startsNow: start() }),
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    setTouched(true);
    const api = session.api();
    if (nameError() || !api) return;
    await action.run(() => tasks.run(() => api.cloneVm(props.vm.name, name(), start()), { vmName: props.vm.name, quiet: true }));
  };

  return (
    <Dialog title={`Clone ${props.vm.name}`} testid="dialog-clone" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} novalidate>
        <TextField
          id="clone-name"
          label="New VM name"
          error={nameError()}
          showError={touched() || name() !== ""}
          testid="clone-name"
          value={name()}
          onInput={(value) => setName(value)}
          onBlur={() => setTouched(true)}
        />
        <label class="checkbox">
          <input type="checkbox" checked={start()} data-testid="clone-start-checkbox" onChange={(e) => setStart(e.currentTarget.checked)} />
          Start the clone (with VNC) when it is ready
        </label>
        <FitWarnings warnings={warnings()} testid="clone-fit" />
        <CommandPreview lines={cloneCommands(props.vm.name, name(), start())} testid="clone-command" />
        <FormFooter
          error={action.error()}
          errorTestid="clone-error"
          submitLabel="Clone"
          submitTestid="clone-submit"
          disabled={action.busy() || (touched() && !!nameError())}
          onCancel={() => props.onClose()}
        />
      </form>
    </Dialog>
  );
}
