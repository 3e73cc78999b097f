/**
 * The main page: toolbar (filter, status, cards/table, Refresh, Pull, Create), the bulk-action
 * bar for selected rows, the "Local VMs" section, the "Images" section, then one section per
 * Orchard cluster (through the same filter), and the operations panel beside them. It owns which dialog is open and the row selection; the dialogs themselves
 * send the requests. While the server is offline every action is disabled with that reason and
 * the lists are marked stale; while a pull, create or clone runs, its VM-to-be shows as a
 * placeholder card saying "Pulling 43%".
 */
import { createMemo, createSignal, Match, Show, Switch } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { Vm } from "../api/types.ts";
import { CloneDialog } from "../components/clone-dialog.tsx";
import { ClustersBeside } from "../components/clusters-beside.tsx";
import { ConfigDialog } from "../components/config-dialog.tsx";
import { CreateDialog } from "../components/create-dialog.tsx";
import { DeleteDialog } from "../components/delete-dialog.tsx";
import { Icon } from "../components/icons.tsx";
import { PullDialog } from "../components/pull-dialog.tsx";
import { RenameDialog } from "../components/rename-dialog.tsx";
import { VmSettingsDialog } from "../components/vm-settings-dialog.tsx";
import { RunOptionsDialog } from "../components/run-options-dialog.tsx";
import { TaskPanel } from "../components/task-panel.tsx";
import type { VmActionKind } from "../components/vm-actions.tsx";
import { VmSection } from "../components/vm-section.tsx";
import { useInventory } from "../context/inventory.tsx";
import { useRouter } from "../context/router.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { useToasts } from "../context/toasts.tsx";
import { VmListProvider } from "../context/vm-list.tsx";
import { copyText, safeLocalStorage } from "../lib/browser.ts";
import { sshCommand } from "../lib/format.ts";
import { pageBlock } from "../lib/vm-actions.ts";
import { readViewMode, writeViewMode, type ViewMode } from "../stores/prefs.ts";
import { tartProblem } from "../stores/session.ts";
import { isFinished } from "../stores/tasks.ts";
import { bulkPlan, placeholderVm, sections, type BulkPlan, type StatusFilter } from "../stores/vms.ts";

type OpenDialog =
  | { kind: "clone" | "config" | "rename" | "settings" | "run-options"; vm: Vm }
  | { kind: "delete"; vms: Vm[]; skipped?: BulkPlan["skip"] }
  | { kind: "create"; source?: string }
  | { kind: "pull" };

const clock = (ms: number | null) => (ms === null ? "—" : new Date(ms).toLocaleTimeString());

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
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const block = () => pageBlock({ online: session.state.online, tartProblem: tartProblem(session.state.health) });
  const offline = () => !session.state.online;

  // VMs-to-be of pulls, creates and clones in flight, one object per task so cards stay put.
  const placeholderCache = new Map<string, Vm>();
  const placeholders = createMemo(() => {
    const names = new Set(inventory.state.vms.map((vm) => vm.name));
    const out: Vm[] = [];
    const live = new Set<string>();
    for (const id of tasks.state.panel) {
      const task = tasks.state.byId[id];
      if (!task || isFinished(task.status) || !task.vm_name || names.has(task.vm_name)) continue;
      if (task.action !== "pull_vm" && task.action !== "create_vm" && task.action !== "clone_vm") continue;
      names.add(task.vm_name);
      const vm = placeholderCache.get(id) ?? placeholderVm(task.vm_name, task.action === "pull_vm", id);
      placeholderCache.set(id, vm);
      live.add(id);
      out.push(vm);
    }
    for (const id of placeholderCache.keys()) if (!live.has(id)) placeholderCache.delete(id);
    return out;
  });
  const all = createMemo(() => (placeholders().length ? [...placeholders(), ...inventory.state.vms] : inventory.state.vms));
  const split = createMemo(() => sections(all(), { text: text(), status: status() }));
  const selectedCount = createMemo(() => inventory.state.vms.filter((vm) => selected().has(vm.name)).length);
  const toggleSelected = (name: string, on: boolean) =>
    setSelected((prev) => {
      if (prev.has(name) === on) return prev;
      const next = new Set(prev);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

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
      case "start-console":
        void tasks.run(() => api.startVm(vm.name, false, true), vm.name).catch(() => undefined);
        break;
      case "start-suspendable":
        void tasks.run(() => api.startVm(vm.name, true), vm.name).catch(() => undefined);
        break;
      case "stop":
        void tasks.run(() => api.stopVm(vm.name), vm.name).catch(() => undefined);
        break;
      case "force-stop":
        void tasks.run(() => api.stopVm(vm.name, true), vm.name).catch(() => undefined);
        break;
      case "suspend":
        void tasks.run(() => api.suspendVm(vm.name), vm.name).catch(() => undefined);
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
        setDialog({ kind, vms: [vm] });
        break;
      case "clone":
      case "config":
      case "rename":
      case "settings":
      case "run-options":
        setDialog({ kind, vm });
        break;
    }
  };

  const stopSelected = () => {
    const api = session.api();
    if (!api) return;
    const plan = bulkPlan(inventory.state.vms, selected(), "stop");
    for (const name of plan.act) void tasks.run(() => api.stopVm(name), name).catch(() => undefined);
    if (plan.skip.length) toasts.show("success", `Not stopped: ${plan.skip.map((s) => `${s.name} (${s.reason})`).join(", ")}`);
  };
  const deleteSelected = () => {
    const plan = bulkPlan(inventory.state.vms, selected(), "delete");
    const vms = inventory.state.vms.filter((vm) => plan.act.includes(vm.name));
    setDialog({ kind: "delete", vms, skipped: plan.skip });
  };
  const bulkReason = (action: "stop" | "delete") => {
    if (block()) return block();
    if (bulkPlan(inventory.state.vms, selected(), action).act.length > 0) return null;
    return action === "stop" ? "None of the selected VMs is running" : "Stop the selected VMs to delete them";
  };
  const createReason = () => block() ?? (inventory.state.vms.length === 0 ? "Pull an image first" : null);

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
            <button type="button" aria-pressed={view() === "cards"} title="Show as cards" data-testid="view-toggle-cards" onClick={() => chooseView("cards")}>
              <Icon name="grid" />
              <span>Cards</span>
            </button>
            <button type="button" aria-pressed={view() === "table"} title="Show as a table" data-testid="view-toggle-table" onClick={() => chooseView("table")}>
              <Icon name="list" />
              <span>Table</span>
            </button>
          </div>
          <span class="spacer" />
          <button
            type="button"
            class="button"
            disabled={inventory.state.refreshing || offline()}
            aria-busy={inventory.state.refreshing}
            title={offline() ? "Refresh: The server is offline" : "Refresh the list from tart"}
            aria-description={offline() ? "The server is offline" : undefined}
            data-testid="refresh-button"
            onClick={() => void refresh()}
          >
            <Icon name="refresh" class={inventory.state.refreshing ? "spinning" : ""} />
            <span>Refresh</span>
          </button>
          <button
            type="button"
            class="button"
            disabled={!!block()}
            title={block() ? `Pull image: ${block()}` : "Pull an image from a registry"}
            aria-description={block() ?? undefined}
            data-testid="pull-button"
            onClick={() => setDialog({ kind: "pull" })}
          >
            <Icon name="download" />
            <span>Pull image</span>
          </button>
          <button
            type="button"
            class="button primary"
            disabled={!!createReason()}
            title={createReason() ? `Create VM: ${createReason()}` : "Create a VM from an image or a VM"}
            aria-description={createReason() ?? undefined}
            data-testid="create-button"
            onClick={() => setDialog({ kind: "create" })}
          >
            <Icon name="plus" />
            <span>Create VM</span>
          </button>
        </div>

        <Show when={selectedCount() > 0}>
          <div class="bulk-bar" role="region" aria-label="Selected VMs" data-testid="bulk-bar">
            <span data-testid="bulk-count">{selectedCount()} selected</span>
            <button
              type="button"
              class="button small"
              disabled={!!bulkReason("stop")}
              title={bulkReason("stop") ?? "Stop the selected running VMs"}
              aria-description={bulkReason("stop") ?? undefined}
              data-testid="bulk-stop"
              onClick={stopSelected}
            >
              <Icon name="stop" />
              <span>Stop selected</span>
            </button>
            <button
              type="button"
              class="button small danger"
              disabled={!!bulkReason("delete")}
              title={bulkReason("delete") ?? "Delete the selected VMs"}
              aria-description={bulkReason("delete") ?? undefined}
              data-testid="bulk-delete"
              onClick={deleteSelected}
            >
              <Icon name="trash" />
              <span>Delete selected</span>
            </button>
            <button type="button" class="button small" data-testid="bulk-clear" onClick={() => setSelected(new Set<string>())}>
              Clear selection
            </button>
          </div>
        </Show>

        <Show when={inventory.state.loaded} fallback={<p class="empty" data-testid="vms-loading">Loading VMs…</p>}>
          <Show when={offline()}>
            <p class="stale-note" role="status" data-testid="stale-note">
              <Icon name="alert" />
              <span>
                The server is offline: this is the list as of {clock(inventory.state.updatedAt)} and may be out of date. Actions are
                disabled until the server is back.
              </span>
            </p>
          </Show>
          <VmListProvider block={block} onAction={onAction} isSelected={(name) => selected().has(name)} toggleSelected={toggleSelected}>
            <div class="vm-lists" classList={{ stale: offline() }} data-testid="vm-lists" data-stale={offline() ? "true" : "false"}>
              <VmSection
                id="local"
                title="Local VMs"
                vms={split().local}
                total={split().totalLocal}
                view={view()}
                empty={split().totalLocal ? "No VM matches the filter." : "No local VMs yet. Create one from an image."}
              />
              <VmSection
                id="oci"
                title="Images"
                vms={split().oci}
                total={split().totalOci}
                view={view()}
                empty={split().totalOci ? "No image matches the filter." : "No images pulled yet. Use “Pull image” to fetch one."}
              />
              <ClustersBeside text={text()} status={status()} />
            </div>
          </VmListProvider>
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
          {(d) => {
            const open = d() as { vms: Vm[]; skipped?: BulkPlan["skip"] };
            return (
              <DeleteDialog vms={open.vms} skipped={open.skipped} onClose={close} />
            );
          }}
        </Match>
        <Match when={dialog()?.kind === "clone" && dialog()}>
          {(d) => <CloneDialog vm={(d() as { vm: Vm }).vm} onClose={close} />}
        </Match>
        <Match when={dialog()?.kind === "config" && dialog()}>
          {(d) => <ConfigDialog vm={(d() as { vm: Vm }).vm} onClose={close} />}
        </Match>
        <Match when={dialog()?.kind === "rename" && dialog()}>
          {(d) => <RenameDialog vm={(d() as { vm: Vm }).vm} onClose={close} />}
        </Match>
        <Match when={dialog()?.kind === "settings" && dialog()}>
          {(d) => <VmSettingsDialog vm={(d() as { vm: Vm }).vm} onClose={close} />}
        </Match>
        <Match when={dialog()?.kind === "run-options" && dialog()}>
          {(d) => <RunOptionsDialog vm={(d() as { vm: Vm }).vm} onClose={close} />}
        </Match>
      </Switch>
    </div>
  );
}
