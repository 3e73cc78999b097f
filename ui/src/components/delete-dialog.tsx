/**
 * Confirmation before deleting: names what goes, because deletion cannot be undone. A VM loses
 * its disk; an OCI image is removed from tart's OCI cache (VMs made from it keep their own copy,
 * and pulling it again downloads it anew). Several at once (the bulk delete) list every name in
 * one confirmation and send one request each.
 */
import { For, Match, Show, Switch } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { createDialogAction } from "../lib/dialog-action.ts";
import { deleteWording } from "../lib/vm-labels.ts";
import { Dialog } from "./dialog.tsx";
import { FormError } from "./field.tsx";

export function DeleteDialog(props: { vms: Vm[]; skipped?: { name: string; reason: string }[]; onClose: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const action = createDialogAction(() => props.onClose());
  const words = () => deleteWording(props.vms);

  const confirm = async () => {
    const api = session.api();
    if (!api) return;
    await action.run(async () => {
      const results = await Promise.allSettled(props.vms.map((vm) => tasks.run(() => api.deleteVm(vm.name), vm.name)));
      const failed = results.filter((r) => r.status === "rejected").length;
      if (failed) throw new Error(`${failed} of ${props.vms.length} could not be deleted; see the messages.`);
    });
  };

  return (
    <Dialog
      title={words().title}
      testid="dialog-confirm-delete"
      onClose={props.onClose}
      footer={
        <>
          <button type="button" class="button" data-autofocus onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="button" class="button danger" disabled={action.busy() || props.vms.length === 0} data-testid="confirm-delete-button" onClick={() => void confirm()}>
            {words().button}
          </button>
        </>
      }
    >
      <Switch>
        <Match when={props.vms.length === 1 && props.vms[0]}>
          {(vm) => (
            <p data-testid="delete-text">
              {words().lead} <strong class="break">{vm().name}</strong>? {words().effect}
            </p>
          )}
        </Match>
        <Match when={true}>
          <p data-testid="delete-text">
            {words().lead} {words().effect}
          </p>
          <ul class="name-list" data-testid="delete-names">
            <For each={props.vms}>{(vm) => <li class="break mono">{vm.name}</li>}</For>
          </ul>
        </Match>
      </Switch>
      <Show when={props.skipped?.length}>
        <p class="hint">Not deleted:</p>
        <ul class="name-list hint" data-testid="delete-skipped">
          <For each={props.skipped}>
            {(s) => (
              <li class="break">
                <span class="mono">{s.name}</span>: {s.reason}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <FormError message={action.error()} testid="delete-error" />
    </Dialog>
  );
}
