/**
 * One task in the operations panel: what it does to which VM, its status, elapsed time, a
 * progress bar for long actions, its live log, and when finished its outcome (the start
 * result's IP and VNC link, or the error and stderr) with Retry for failed pulls/creates/clones.
 */
import { createSignal, Match, Show, Switch } from "solid-js";
import type { Task } from "../api/types.ts";
import { useNow } from "../context/clock.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { actionLabel, formatDuration } from "../lib/format.ts";
import { showsProgress, taskProgress } from "../lib/progress.ts";
import { canRetry, isFinished, taskElapsed, type StreamState, type TaskRecord } from "../stores/tasks.ts";
import { Icon } from "./icons.tsx";
import { LogView } from "./log-view.tsx";
import { ProgressBar } from "./progress-bar.tsx";

export function TaskStatusBadge(props: { status: Task["status"] }) {
  return (
    <span class={`badge task-${props.status}`} data-testid="task-status" data-status={props.status}>
      {props.status}
    </span>
  );
}

const STREAM_TEXT: Record<StreamState, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  closed: "",
  failed: "stream lost, polling",
};

export function TaskEntry(props: { task: TaskRecord; stream?: StreamState }) {
  const now = useNow();
  const session = useSession();
  const tasks = useTasks();
  const [open, setOpen] = createSignal(true);
  const finished = () => isFinished(props.task.status);
  const progress = () => taskProgress(props.task);
  const result = () => props.task.result;

  const retry = () => {
    const api = session.api();
    if (api) void tasks.run(() => api.retryTask(props.task.id)).catch(() => undefined);
  };

  return (
    <li
      class="task-entry"
      classList={{ failed: props.task.status === "failed", done: props.task.status === "completed" }}
      data-testid={`task-entry-${props.task.id}`}
      data-task-id={props.task.id}
      data-action={props.task.action}
      data-vm-name={props.task.vm_name ?? ""}
      data-status={props.task.status}
    >
      <div class="task-head">
        <button
          type="button"
          class="disclosure"
          aria-expanded={open()}
          aria-label={`${open() ? "Hide" : "Show"} log of ${actionLabel(props.task.action)} ${props.task.vm_name ?? ""}`}
          onClick={() => setOpen(!open())}
        >
          <Icon name="chevron" class={open() ? "rotated" : ""} />
        </button>
        <div class="task-title">
          <strong>{actionLabel(props.task.action)}</strong>
          <Show when={props.task.vm_name}>
            <span class="break"> {props.task.vm_name}</span>
          </Show>
        </div>
        <TaskStatusBadge status={props.task.status} />
        <span class="muted small" data-testid="task-elapsed" title="Elapsed">
          {formatDuration(taskElapsed(props.task, now() / 1000))}
        </span>
        <Show when={!finished() && props.stream && STREAM_TEXT[props.stream]}>
          <span class="muted small" data-testid="task-stream">{STREAM_TEXT[props.stream!]}</span>
        </Show>
        <Show when={finished()}>
          <button
            type="button"
            class="icon-button"
            aria-label={`Dismiss ${actionLabel(props.task.action)} ${props.task.vm_name ?? ""}`}
            data-testid="task-dismiss"
            onClick={() => tasks.dispatch({ type: "dismissed", id: props.task.id })}
          >
            <Icon name="x" />
          </button>
        </Show>
      </div>
      <Show when={showsProgress(props.task.action) && (!finished() || props.task.action === "pull_vm")}>
        <ProgressBar value={progress()} label={`${actionLabel(props.task.action)} progress`} failed={props.task.status === "failed"} />
      </Show>
      <Switch>
        <Match when={props.task.status === "failed"}>
          <div class="task-outcome error" data-testid="task-error" role="alert">
            {props.task.error ?? "Failed."}
            <Show when={props.task.stderr}>
              <pre class="stderr" data-testid="task-stderr">{props.task.stderr}</pre>
            </Show>
            <Show when={canRetry(props.task)}>
              <button type="button" class="button small" data-testid="task-retry" onClick={retry}>
                <Icon name="retry" />
                <span>Retry</span>
              </button>
            </Show>
          </div>
        </Match>
        <Match when={props.task.status === "completed" && result()}>
          <div class="task-outcome" data-testid="task-result">
            <Show when={result()?.message}>
              <span>{String(result()?.message)}</span>
            </Show>
            <Show when={result()?.ip_address}>
              <span>
                {" "}IP <span class="mono" data-testid="task-result-ip">{String(result()?.ip_address)}</span>
              </span>
            </Show>
            <Show when={result()?.vnc_url}>
              <a class="button small" href={String(result()?.vnc_url)} data-testid="task-result-vnc">
                <Icon name="monitor" />
                <span>Open VNC</span>
              </a>
            </Show>
          </div>
        </Match>
      </Switch>
      <Show when={open()}>
        <LogView lines={props.task.logs} testid="task-log" label={`Log of ${actionLabel(props.task.action)} ${props.task.vm_name ?? ""}`} />
      </Show>
    </li>
  );
}
