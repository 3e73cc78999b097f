/** Confirmation before deleting a VM: names the VM, because deletion cannot be undone. */
import { Show } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { createDialogAction } from "../lib/dialog-action.ts";
import { isOci } from "../stores/vms.ts";
import { Dialog } from "./dialog.tsx";
import { FormError } from "./field.tsx";

export function DeleteDialog(props: { vm: Vm; onClose: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const action = createDialogAction(() => props.onClose());

  const confirm = async () => {
    const api = session.api();
    if (!api) return;
    await action.run(() => tasks.run(() => api.deleteVm(props.vm.name), props.vm.name));
  };

  return (
    <Dialog
      title="Delete VM"
      testid="dialog-confirm-delete"
      onClose={props.onClose}
      footer={
        <>
          <button type="button" class="button" data-autofocus onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="button" class="button danger" disabled={action.busy()} data-testid="confirm-delete-button" onClick={() => void confirm()}>
            Delete {props.vm.name}
          </button>
        </>
      }
    >
      <p>
        Delete <strong class="break">{props.vm.name}</strong>? Its disk is removed and this cannot be undone.
      </p>
      <Show when={isOci(props.vm)}>
        <p class="hint">This removes the pulled image from tart's cache; VMs created from it are not affected.</p>
      </Show>
      <FormError message={action.error()} testid="delete-error" />
    </Dialog>
  );
}
