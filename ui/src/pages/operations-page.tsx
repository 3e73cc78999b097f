/**
 * Operations: the live panel, and the history of finished tasks (persisted by the server) with
 * status, duration, error and stderr; each entry opens to its full log, fetched on demand.
 */
import { createResource, createSignal, For, onMount, Show } from "solid-js";
import { errorDetail } from "../api/client.ts";
import { Icon } from "../components/icons.tsx";
import { TaskPanel } from "../components/task-panel.tsx";
import { TaskStatusBadge } from "../components/task-entry.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { actionLabel, formatDuration, formatTimestamp } from "../lib/format.ts";
import { isFinished, type TaskRecord } from "../stores/tasks.ts";

export function OperationsPage() {
  const tasks = useTasks();
  onMount(() => void tasks.loadHistory(false));
  const history = () => tasks.state.history.ids.map((id) => tasks.state.byId[id]).filter((t): t is TaskRecord => !!t);

  return (
    <div class="page-stack">
      <TaskPanel />
      <section class="history" data-testid="task-history" aria-labelledby="history-title">
        <header class="panel-header">
          <h2 id="history-title">History</h2>
          <button type="button" class="button small" data-testid="history-reload" onClick={() => void tasks.loadHistory(false)}>
            <Icon name="refresh" />
            <span>Reload</span>
          </button>
        </header>
        <Show when={tasks.state.history.error}>
          <p class="form-error" role="alert" data-testid="history-error">
            {tasks.state.history.error}
          </p>
        </Show>
        <Show
          when={history().length > 0}
          fallback={<p class="empty">{tasks.state.history.loading ? "Loading…" : "No operations yet."}</p>}
        >
          <ul class="history-list">
            <For each={history()}>{(task) => <HistoryEntry task={task} />}</For>
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

  return (
    <li class="history-entry" data-testid={`history-entry-${props.task.id}`} data-action={props.task.action} data-status={props.task.status}>
      <button type="button" class="history-summary" aria-expanded={open()} onClick={() => setOpen(!open())}>
        <Icon name="chevron" class={open() ? "rotated" : ""} />
        <span class="history-what">
          <strong>{actionLabel(props.task.action)}</strong> <span class="break">{props.task.vm_name ?? ""}</span>
        </span>
        <TaskStatusBadge status={props.task.status} />
        <span class="muted small">{formatTimestamp(props.task.created_at)}</span>
        <span class="muted small" data-testid="history-duration">{duration()}</span>
      </button>
      <Show when={props.task.error}>
        <p class="error-text" data-testid="history-error-text">{props.task.error}</p>
      </Show>
      <Show when={open()}>
        <div class="history-details">
          <Show when={props.task.command?.length}>
            <p class="small">
              <span class="muted">Command </span>
              <code>{props.task.command?.join(" ")}</code>
              <Show when={props.task.exit_code !== null}>
                <span class="muted"> · exit {props.task.exit_code}</span>
              </Show>
            </p>
          </Show>
          <Show when={props.task.stderr}>
            <h3 class="subheading">stderr</h3>
            <pre class="stderr">{props.task.stderr}</pre>
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
