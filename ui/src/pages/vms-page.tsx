/**
 * The main page: toolbar (filter, status, cards/table, Refresh, Pull, Create), the two VM
 * sections, and the operations panel beside them. It owns which dialog is open; the dialogs
 * themselves send the requests.
 */
import { createMemo, createSignal, Match, Show, Switch } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { Vm } from "../api/types.ts";
import { CloneDialog } from "../components/clone-dialog.tsx";
import { ConfigDialog } from "../components/config-dialog.tsx";
import { CreateDialog } from "../components/create-dialog.tsx";
import { DeleteDialog } from "../components/delete-dialog.tsx";
import { Icon } from "../components/icons.tsx";
import { PullDialog } from "../components/pull-dialog.tsx";
import { TaskPanel } from "../components/task-panel.tsx";
import type { VmActionKind } from "../components/vm-actions.tsx";
import { VmSection } from "../components/vm-section.tsx";
import { useInventory } from "../context/inventory.tsx";
import { useRouter } from "../context/router.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { useToasts } from "../context/toasts.tsx";
import { copyText, safeLocalStorage } from "../lib/browser.ts";
import { sshCommand } from "../lib/format.ts";
import { readViewMode, writeViewMode, type ViewMode } from "../stores/prefs.ts";
import { tartProblem } from "../stores/session.ts";
import { sections, type StatusFilter } from "../stores/vms.ts";

type OpenDialog =
  | { kind: "delete" | "clone" | "config"; vm: Vm }
  | { kind: "create"; source?: string }
  | { kind: "pull" };

export function VmsPage() {
  const session = useSession();
  const inventory = useInventory();
  const tasks = useTasks();
  const toasts = useToasts();
  const router = useRouter();
  const storage = safeLocalStorage();

  const [text, setText] = createSignal("");
  const [status, setStatus] = createSignal<StatusFilter>("all");
  const [view, setView] = createSignal<ViewMode>(readViewMode(storage));
  const [dialog, setDialog] = createSignal<OpenDialog | null>(null);
  const split = createMemo(() => sections(inventory.state.vms, { text: text(), status: status() }));
  const tartAvailable = () => !tartProblem(session.state.health);

  const chooseView = (mode: ViewMode) => {
    setView(mode);
    writeViewMode(storage, mode);
  };

  const refresh = () => inventory.refresh().catch((err) => toasts.show("error", errorDetail(err)));

  const copy = (value: string, what: string) =>
    copyText(value).then(
      () => toasts.show("success", `Copied ${what}: ${value}`),
      (err) => toasts.show("error", errorDetail(err)),
    );

  const onAction = (vm: Vm, kind: VmActionKind) => {
    const api = session.api();
    if (!api) return;
    switch (kind) {
      case "start":
        void tasks.run(() => api.startVm(vm.name), vm.name).catch(() => undefined);
        break;
      case "stop":
        void tasks.run(() => api.stopVm(vm.name), vm.name).catch(() => undefined);
        break;
      case "copy-ip":
        void copy(vm.ip_address ?? "", "IP");
        break;
      case "copy-ssh":
        void copy(sshCommand(vm.ip_address ?? ""), "ssh command");
        break;
      case "create":
        setDialog({ kind: "create", source: vm.name });
        break;
      case "delete":
      case "clone":
      case "config":
        setDialog({ kind, vm });
        break;
    }
  };

  const close = () => setDialog(null);

  return (
    <div class="page-with-panel">
      <div class="page-main">
        <div class="toolbar" role="toolbar" aria-label="VM list controls">
          <label class="visually-hidden" for="vm-filter">
            Filter VMs
          </label>
          <input
            id="vm-filter"
            type="search"
            class="search"
            placeholder="Filter by name, IP, OS…"
            value={text()}
            data-testid="vm-filter-text"
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <label class="visually-hidden" for="vm-status-filter">
            Status
          </label>
          <select
            id="vm-status-filter"
            value={status()}
            data-testid="vm-filter-status"
            onChange={(e) => setStatus(e.currentTarget.value as StatusFilter)}
          >
            <option value="all">All statuses</option>
            <option value="running">Running</option>
            <option value="stopped">Stopped</option>
            <option value="unknown">Unknown</option>
          </select>
          <div class="segmented" role="group" aria-label="View">
            <button type="button" aria-pressed={view() === "cards"} data-testid="view-toggle-cards" onClick={() => chooseView("cards")}>
              <Icon name="grid" />
              <span>Cards</span>
            </button>
            <button type="button" aria-pressed={view() === "table"} data-testid="view-toggle-table" onClick={() => chooseView("table")}>
              <Icon name="list" />
              <span>Table</span>
            </button>
          </div>
          <span class="spacer" />
          <button
            type="button"
            class="button"
            disabled={inventory.state.refreshing}
            aria-busy={inventory.state.refreshing}
            data-testid="refresh-button"
            onClick={() => void refresh()}
          >
            <Icon name="refresh" class={inventory.state.refreshing ? "spinning" : ""} />
            <span>Refresh</span>
          </button>
          <button type="button" class="button" disabled={!tartAvailable()} data-testid="pull-button" onClick={() => setDialog({ kind: "pull" })}>
            <Icon name="download" />
            <span>Pull image</span>
          </button>
          <button
            type="button"
            class="button primary"
            disabled={!tartAvailable() || inventory.state.vms.length === 0}
            data-testid="create-button"
            onClick={() => setDialog({ kind: "create" })}
          >
            <Icon name="plus" />
            <span>Create VM</span>
          </button>
        </div>

        <Show when={inventory.state.loaded} fallback={<p class="empty" data-testid="vms-loading">Loading VMs…</p>}>
          <VmSection
            id="oci"
            title="OCI images"
            vms={split().oci}
            total={split().totalOci}
            view={view()}
            empty={split().totalOci ? "No image matches the filter." : "No images pulled yet. Use “Pull image” to fetch one."}
            tartAvailable={tartAvailable()}
            onAction={onAction}
          />
          <VmSection
            id="local"
            title="Local VMs"
            vms={split().local}
            total={split().totalLocal}
            view={view()}
            empty={split().totalLocal ? "No VM matches the filter." : "No local VMs yet. Create one from an image."}
            tartAvailable={tartAvailable()}
            onAction={onAction}
          />
        </Show>
      </div>
      <aside class="page-panel" aria-label="Operations">
        <TaskPanel />
      </aside>

      <Switch>
        <Match when={dialog()?.kind === "pull"}>
          <PullDialog onClose={close} onOpenSettings={() => { close(); router.navigate("settings"); }} />
        </Match>
        <Match when={dialog()?.kind === "create" && dialog()}>
          {(d) => <CreateDialog source={(d() as { source?: string }).source} onClose={close} />}
        </Match>
        <Match when={dialog()?.kind === "delete" && dialog()}>
          {(d) => <DeleteDialog vm={(d() as { vm: Vm }).vm} onClose={close} />}
        </Match>
        <Match when={dialog()?.kind === "clone" && dialog()}>
          {(d) => <CloneDialog vm={(d() as { vm: Vm }).vm} onClose={close} />}
        </Match>
        <Match when={dialog()?.kind === "config" && dialog()}>
          {(d) => <ConfigDialog vm={(d() as { vm: Vm }).vm} onClose={close} />}
        </Match>
      </Switch>
    </div>
  );
}
