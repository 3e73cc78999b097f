/**
 * Operations: the live panel, and the history of tasks (persisted by the server), filtered by
 * status, action, VM and text. Each entry says in one sentence why it failed, offers Retry where
 * that can help, copies its command, and opens to tart's own words and the full log (fetched on
 * demand). The filter applies to the pages loaded so far; "Load older" fetches more.
 */
import { createMemo, createResource, createSignal, For, onMount, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { errorDetail } from "../api/client.ts";
import type { TaskAction, TaskStatus } from "../api/types.ts";
import { Icon } from "../components/icons.tsx";
import { TaskPanel } from "../components/task-panel.tsx";
import { TaskStatusBadge } from "../components/task-entry.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { useToasts } from "../context/toasts.tsx";
import { copyText } from "../lib/browser.ts";
import { actionLabel, formatDuration, formatTimestamp, shellCommand, taskSubject } from "../lib/format.ts";
import { explainFailure } from "../lib/task-failure.ts";
import { canRetry, emptyHistoryFilter, filterHistory, historyVmNames, isFinished, type HistoryFilter, type TaskRecord } from "../stores/tasks.ts";

const STATUSES: TaskStatus[] = ["failed", "completed", "running", "pending"];
const ACTIONS: TaskAction[] = ["start_vm", "stop_vm", "pull_vm", "create_vm", "clone_vm", "delete_vm", "suspend_vm", "rename_vm", "settings_vm", "prune", "registry_login", "registry_logout"];

export function OperationsPage() {
  const tasks = useTasks();
  onMount(() => void tasks.loadHistory(false));
  const history = () => tasks.state.history.ids.map((id) => tasks.state.byId[id]).filter((t): t is TaskRecord => !!t);
  const [filter, setFilter] = createStore<HistoryFilter>(emptyHistoryFilter());
  const shown = createMemo(() => filterHistory(history(), filter));
  const filtered = () => filter.status !== "all" || filter.action !== "all" || filter.vm.trim() !== "" || filter.text.trim() !== "";

  return (
    <div class="page-stack">
      <TaskPanel />
      <section class="history" data-testid="task-history" aria-labelledby="history-title">
        <header class="panel-header">
          <h2 id="history-title">
            History{" "}
            <Show when={filtered()}>
              <span class="count" data-testid="history-count">
                {shown().length} of {history().length}
              </span>
            </Show>
          </h2>
          <button type="button" class="button small" data-testid="history-reload" onClick={() => void tasks.loadHistory(false)}>
            <Icon name="refresh" />
            <span>Reload</span>
          </button>
        </header>
        <form class="history-filter" role="search" aria-label="Filter the history" data-testid="history-filter" onSubmit={(e) => e.preventDefault()}>
          <label>
            <span class="visually-hidden">Status</span>
            <select value={filter.status} data-testid="history-filter-status" onChange={(e) => setFilter("status", e.currentTarget.value as HistoryFilter["status"])}>
              <option value="all">Any status</option>
              <For each={STATUSES}>{(s) => <option value={s}>{s}</option>}</For>
            </select>
          </label>
          <label>
            <span class="visually-hidden">Action</span>
            <select value={filter.action} data-testid="history-filter-action" onChange={(e) => setFilter("action", e.currentTarget.value as HistoryFilter["action"])}>
              <option value="all">Any action</option>
              <For each={ACTIONS}>{(a) => <option value={a}>{actionLabel(a)}</option>}</For>
            </select>
          </label>
          <label>
            <span class="visually-hidden">VM</span>
            <input
              type="search"
              list="history-vm-names"
              placeholder="VM"
              autocomplete="off"
              value={filter.vm}
              data-testid="history-filter-vm"
              onInput={(e) => setFilter("vm", e.currentTarget.value)}
            />
            <datalist id="history-vm-names">
              <For each={historyVmNames(history())}>{(name) => <option value={name} />}</For>
            </datalist>
          </label>
          <label class="grow">
            <span class="visually-hidden">Text in command, error or output</span>
            <input
              type="search"
              placeholder="Text in command, error or output"
              autocomplete="off"
              value={filter.text}
              data-testid="history-filter-text"
              onInput={(e) => setFilter("text", e.currentTarget.value)}
            />
          </label>
          <Show when={filtered()}>
            <button type="button" class="link-button" data-testid="history-filter-clear" onClick={() => setFilter(emptyHistoryFilter())}>
              Clear filter
            </button>
          </Show>
        </form>
        <Show when={tasks.state.history.error}>
          <p class="form-error" role="alert" data-testid="history-error">
            {tasks.state.history.error}
          </p>
        </Show>
        <Show
          when={shown().length > 0}
          fallback={
            <p class="empty" data-testid="history-empty">
              {tasks.state.history.loading ? "Loading…" : history().length > 0 ? "No operation matches the filter." : "No operations yet."}
            </p>
          }
        >
          <ul class="history-list">
            <For each={shown()}>{(task) => <HistoryEntry task={task} />}</For>
          </ul>
        </Show>
        <Show when={tasks.state.history.nextBefore !== null}>
          <button
            type="button"
            class="button"
            disabled={tasks.state.history.loading}
            data-testid="history-load-more"
            onClick={() => void tasks.loadHistory(true)}
          >
            Load older operations
          </button>
        </Show>
      </section>
    </div>
  );
}

function HistoryEntry(props: { task: TaskRecord }) {
  const session = useSession();
  const tasks = useTasks();
  const toasts = useToasts();
  const [open, setOpen] = createSignal(false);
  // The full log is fetched only when the entry is opened (and again if the task was still running).
  const [log] = createResource(
    () => {
      const api = session.api();
      return open() && api ? { api, id: props.task.id, status: props.task.status } : false;
    },
    (key) => key.api.taskLog(key.id),
  );
  const duration = () => (isFinished(props.task.status) ? formatDuration(props.task.updated_at - props.task.created_at) : "running");
  const why = () => (props.task.status === "failed" ? explainFailure(props.task) : null);
  const command = () => (props.task.command?.length ? shellCommand(props.task.command) : null);

  const retry = () => tasks.retry(props.task.id);
  const copyCommand = () => {
    const text = command();
    if (text) void copyText(text).then(() => toasts.show("success", `Copied: ${text}`), (err) => toasts.show("error", errorDetail(err)));
  };

  return (
    <li class="history-entry" data-testid={`history-entry-${props.task.id}`} data-action={props.task.action} data-status={props.task.status} data-vm-name={props.task.vm_name ?? ""}>
      <button type="button" class="history-summary" aria-expanded={open()} onClick={() => setOpen(!open())}>
        <Icon name="chevron" class={open() ? "rotated" : ""} />
        <span class="history-what">
          <strong>{actionLabel(props.task.action)}</strong> <span class="break">{taskSubject(props.task)}</span>
        </span>
        <TaskStatusBadge status={props.task.status} />
        <span class="muted small">{formatTimestamp(props.task.created_at)}</span>
        <span class="muted small" data-testid="history-duration">{duration()}</span>
      </button>
      <Show when={why()}>
        {(w) => (
          <p class="error-text history-why" data-testid="history-error-text">
            {w().summary}
          </p>
        )}
      </Show>
      <div class="history-actions">
        <Show when={canRetry(props.task)}>
          <button type="button" class="button small" data-testid="history-retry" onClick={retry}>
            <Icon name="retry" />
            <span>Retry</span>
          </button>
        </Show>
        <button type="button" class="button small" aria-expanded={open()} data-testid="history-log-toggle" onClick={() => setOpen(!open())}>
          <Icon name="list" />
          <span>{open() ? "Hide log" : "Raw log"}</span>
        </button>
        <Show when={command()}>
          <button type="button" class="button small" data-testid="history-copy-command" title={command() ?? ""} onClick={copyCommand}>
            <Icon name="copy" />
            <span>Copy command</span>
          </button>
        </Show>
      </div>
      <Show when={open()}>
        <div class="history-details">
          <Show when={command()}>
            <p class="small">
              <span class="muted">Command </span>
              <code class="break" data-testid="history-command">{command()}</code>
              <Show when={props.task.exit_code !== null}>
                <span class="muted"> · exit {props.task.exit_code}</span>
              </Show>
            </p>
          </Show>
          <Show when={why()?.raw}>
            <details class="raw-output">
              <summary>What tart said</summary>
              <pre class="stderr">{why()?.raw}</pre>
            </details>
          </Show>
          <h3 class="subheading">Log</h3>
          <Show when={!log.error} fallback={<p class="form-error">{errorDetail(log.error)}</p>}>
            <pre class="log tall" tabindex="0" data-testid={`history-log-${props.task.id}`}>
              {log.loading && log.latest === undefined ? "Loading…" : log.latest || props.task.logs.join("\n") || "(empty)"}
            </pre>
          </Show>
        </div>
      </Show>
    </li>
  );
}
