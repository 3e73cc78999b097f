/**
 * One task in the operations panel: what it does to which VM, its status, elapsed time, a
 * progress bar for long actions, its live log, and when finished its outcome: the start result's
 * IP and VNC link, or why it failed in one sentence (tart's own text folded away below it), with
 * Retry where retrying can help and, for the VM limit, a button to stop one of the running VMs.
 * A pull shows bytes, rate and ETA under its bar; a pull, clone or create in flight can be
 * cancelled, after a second click that says what cancelling costs.
 */
import { createSignal, For, Match, Show, Switch } from "solid-js";
import type { Task } from "../api/types.ts";
import { useNow } from "../context/clock.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { actionLabel, formatDuration, taskSubject, taskTitle, taskVerb } from "../lib/format.ts";
import { showsProgress, taskProgress } from "../lib/progress.ts";
import { pullProgressText } from "../lib/pull-progress.ts";
import { explainFailure, isCancelled } from "../lib/task-failure.ts";
import { isForceStop } from "../lib/vm-actions.ts";
import { canCancel, canRetry, isFinished, taskElapsed, type StreamState, type TaskRecord } from "../stores/tasks.ts";
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

/**
 * A failed task's outcome: the sentence, the stop offers for the VM limit, tart's words in a
 * <details>, and Retry when it can help. Used by the panel and by History.
 */
export function TaskFailure(props: { task: Task }) {
  const session = useSession();
  const tasks = useTasks();
  const why = () => explainFailure(props.task);
  const retry = () => tasks.retry(props.task.id);
  const stop = (name: string, force = false) => {
    const api = session.api();
    if (api) void tasks.run(() => api.stopVm(name, force), name).catch(() => undefined);
  };
  // A graceful stop that failed (tart stop hung, or could not kill the VM): offer the forced one.
  // (Not one a force stop took over: that one is already under way.)
  const forceable = () => props.task.action === "stop_vm" && !isForceStop(props.task) && !isCancelled(props.task) && !!props.task.vm_name;
  return (
    <div class="task-outcome error" data-testid="task-error" role="alert">
      <p class="failure-summary" data-testid="task-error-summary">
        {why().summary}
      </p>
      <Show when={why().raw}>
        <details class="raw-output" data-testid="task-raw">
          <summary>What tart said</summary>
          <pre class="stderr" data-testid="task-stderr">
            {why().raw}
          </pre>
        </details>
      </Show>
      <Show when={why().stopCandidates.length > 0 || canRetry(props.task) || forceable()}>
        <div class="failure-actions">
          <Show when={forceable()}>
            <button type="button" class="button small danger" data-testid="task-force-stop" onClick={() => stop(props.task.vm_name!, true)}>
              <Icon name="zap" />
              <span>Force stop {props.task.vm_name}</span>
            </button>
          </Show>
          <For each={why().stopCandidates}>
            {(name) => (
              <button type="button" class="button small" data-testid={`task-stop-${name}`} onClick={() => stop(name)}>
                <Icon name="stop" />
                <span>Stop {name}</span>
              </button>
            )}
          </For>
          <Show when={canRetry(props.task)}>
            <button type="button" class="button small" data-testid="task-retry" onClick={retry}>
              <Icon name="retry" />
              <span>Retry</span>
            </button>
          </Show>
        </div>
      </Show>
    </div>
  );
}

/** What cancelling throws away, said before it is done. */
function cancelCost(action: Task["action"]): string {
  if (action === "pull_vm") return "Cancelling drops what was downloaded; a new pull starts from 0%.";
  return "Cancelling stops tart and deletes the half-made VM.";
}

export function TaskEntry(props: { task: TaskRecord; stream?: StreamState }) {
  const now = useNow();
  const tasks = useTasks();
  // The log is open while the task runs; once it failed it is folded (the outcome says why, and
  // the log would repeat tart's text) unless the user opened it.
  const [opened, setOpened] = createSignal<boolean | null>(null);
  const open = () => opened() ?? props.task.status !== "failed";
  const finished = () => isFinished(props.task.status);
  const progress = () => taskProgress(props.task);
  const result = () => props.task.result;
  const title = () => taskTitle(props.task);
  const detail = () => (finished() ? null : pullProgressText(props.task.pull_progress, now() / 1000));
  const [confirmCancel, setConfirmCancel] = createSignal(false);

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
          aria-label={`${open() ? "Hide" : "Show"} log of ${title()}`}
          onClick={() => setOpened(!open())}
        >
          <Icon name="chevron" class={open() ? "rotated" : ""} />
        </button>
        <div class="task-title" data-testid="task-title">
          <strong>{taskVerb(props.task)}</strong>
          <span class="break"> {taskSubject(props.task)}</span>
        </div>
        <TaskStatusBadge status={props.task.status} />
        <span class="muted small" data-testid="task-elapsed" title="Elapsed">
          {formatDuration(taskElapsed(props.task, now() / 1000))}
        </span>
        <Show when={!finished() && props.stream && STREAM_TEXT[props.stream]}>
          <span class="muted small" data-testid="task-stream">{STREAM_TEXT[props.stream!]}</span>
        </Show>
        <Show when={canCancel(props.task) && !confirmCancel()}>
          <button type="button" class="button small" data-testid="task-cancel" onClick={() => setConfirmCancel(true)}>
            <Icon name="x" />
            <span>Cancel</span>
          </button>
        </Show>
        <Show when={finished()}>
          <button
            type="button"
            class="icon-button"
            aria-label={`Dismiss ${title()}`}
            data-testid="task-dismiss"
            onClick={() => tasks.dispatch({ type: "dismissed", id: props.task.id })}
          >
            <Icon name="x" />
          </button>
        </Show>
      </div>
      {/* A finished pull keeps its full bar; a failed one says why instead of a half bar. */}
      <Show when={showsProgress(props.task.action) && (!finished() || (props.task.action === "pull_vm" && props.task.status === "completed"))}>
        <ProgressBar value={progress()} label={`${actionLabel(props.task.action)} progress`} failed={props.task.status === "failed"} detail={detail()} />
      </Show>
      <Show when={canCancel(props.task) && confirmCancel()}>
        <div class="task-confirm" role="group" aria-label={`Cancel ${title()}?`} data-testid="task-cancel-confirm" onKeyDown={(e) => e.key === "Escape" && setConfirmCancel(false)}>
          <span>{cancelCost(props.task.action)}</span>
          <button type="button" class="button small" data-testid="task-cancel-keep" onClick={() => setConfirmCancel(false)}>
            Keep going
          </button>
          <button
            type="button"
            class="button small danger"
            data-testid="task-cancel-yes"
            onClick={() => {
              setConfirmCancel(false);
              tasks.cancel(props.task.id);
            }}
          >
            Cancel {actionLabel(props.task.action).toLowerCase()}
          </button>
        </div>
      </Show>
      <Switch>
        <Match when={props.task.status === "failed"}>
          <TaskFailure task={props.task} />
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
            <Show when={result()?.console_url}>
              <a class="button small" href={String(result()?.console_url)} target="_blank" data-testid="task-result-console">
                <Icon name="monitor" />
                <span>Open console</span>
              </a>
            </Show>
            <Show when={result()?.vnc_url}>
              <a class="button small" href={String(result()?.vnc_url)} data-testid="task-result-vnc">
                <Icon name="cast" />
                <span>Open VNC</span>
              </a>
            </Show>
          </div>
        </Match>
      </Switch>
      <Show when={open()}>
        <LogView lines={props.task.logs} testid="task-log" label={`Log of ${title()}`} />
      </Show>
    </li>
  );
}
