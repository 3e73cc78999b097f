/**
 * TasksProvider and useTasks(): every task the UI knows, live. Actions (start, pull, …) go
 * through `run`, which records the returned Task and marks its VM busy; each unfinished task
 * gets a websocket stream (one <TaskSubscription> per task, so unmounting closes it); and the
 * active-task list is polled so tasks started elsewhere appear and tasks whose stream failed
 * still end. When a task finishes the inventory is reloaded — a pulled image appears, a started
 * VM shows its IP — and a toast says how it went.
 */
import { createContext, For, onCleanup, useContext, type JSX } from "solid-js";
import { createStore, reconcile, unwrap } from "solid-js/store";
import { errorDetail, taskSocketUrl } from "../api/client.ts";
import { openTaskStream } from "../api/task-stream.ts";
import type { Task } from "../api/types.ts";
import { taskTitle } from "../lib/format.ts";
import { explainFailure, isCancelled } from "../lib/task-failure.ts";
import { createPollLoop } from "../lib/poll-loop.ts";
import {
  initialTaskState,
  isFinished,
  taskReducer,
  unfinishedIds,
  vanishedIds,
  type StreamState,
  type TaskAction,
  type TaskState,
} from "../stores/tasks.ts";
import { useInventory } from "./inventory.tsx";
import { useSession } from "./session.tsx";
import { useToasts } from "./toasts.tsx";

export const TASK_POLL_MS = 3000;
export const HISTORY_PAGE = 50;

export interface TasksValue {
  state: TaskState;
  dispatch: (action: TaskAction) => void;
  /**
   * Sends an action; records and returns its Task. Errors are rethrown, and toasted unless
   * `quiet` (a dialog that shows the error next to its form).
   */
  run: (request: () => Promise<Task>, options?: string | RunOptions) => Promise<Task>;
  /** Runs a failed task again (from the panel or the History); a refusal is toasted by `run`. */
  retry: (taskId: string) => void;
  /** A task event from the stream: the whole Task (created) or a delta with log_offset (updated, finished). */
  ingest: (task: Task, created: boolean) => void;
  /** Loads the active tasks again (the event stream starts over). */
  syncActive: () => Promise<void>;
  /** Cancels a pull, clone or create in flight; a refusal (it just finished) is toasted by `run`. */
  cancel: (taskId: string) => void;
  loadHistory: (append: boolean) => Promise<void>;
}

export interface RunOptions {
  /** The VM the action is about, marked busy until the task ends (default: the task's vm_name). */
  vmName?: string;
  /** Do not toast a refused request: the caller shows the error itself. */
  quiet?: boolean;
}

const TasksContext = createContext<TasksValue>();

export function TasksProvider(props: { children: JSX.Element }) {
  const session = useSession();
  const inventory = useInventory();
  const toasts = useToasts();
  const [state, setState] = createStore<TaskState>(initialTaskState());
  const dispatch = (action: TaskAction) => setState(reconcile(taskReducer(unwrap(state), action), { merge: true }));

  /** Applies a task from any source and reacts when this is the moment it finished. */
  function apply(action: TaskAction, task: Task) {
    const before = state.byId[task.id]?.status;
    dispatch(action);
    const after = state.byId[task.id]?.status;
    if (after && isFinished(after) && before !== undefined && !isFinished(before)) finished(task.id);
  }

  function finished(id: string) {
    const task = state.byId[id];
    if (!task) return;
    inventory.dispatch({ type: "taskFinished", taskId: id });
    void inventory.reload();
    const what = taskTitle(task);
    if (task.status === "completed") toasts.show("success", `${what} finished.`);
    else if (isCancelled(task)) toasts.show("info", `${what}: ${explainFailure(task).summary}`);
    // The sentence only: tart's own text is in the task's entry, folded away.
    else toasts.show("error", `${what} failed: ${explainFailure(task).summary}`);
    if (state.history.loaded) void loadHistory(false);
  }

  async function pollActive() {
    const api = session.api();
    if (!api) return;
    try {
      const active = await api.activeTasks();
      dispatch({ type: "activeReceived", tasks: active });
      // Tasks we watched that the server no longer lists ended without us seeing the end.
      for (const id of vanishedIds(unwrap(state), active.map((t) => t.id))) {
        const task = await api.getTask(id).catch(() => null);
        if (task) apply({ type: "received", task }, task);
      }
    } catch (err) {
      session.reportError(err);
    }
  }
  createPollLoop({
    intervalMs: TASK_POLL_MS,
    // The event stream brings every task change while it is up (context/live-events.tsx).
    enabled: () => session.state.auth === "signed-in" && session.state.online && !session.state.live,
    tick: pollActive,
  });

  async function loadHistory(append: boolean) {
    const api = session.api();
    if (!api) return;
    dispatch({ type: "historyLoading" });
    try {
      const page = await api.taskHistory(HISTORY_PAGE, append ? state.history.nextBefore : null);
      dispatch({ type: "historyReceived", page, append });
    } catch (err) {
      session.reportError(err);
      dispatch({ type: "historyFailed", error: errorDetail(err) });
    }
  }

  const value: TasksValue = {
    state,
    dispatch,
    async run(request, options) {
      const { vmName, quiet } = typeof options === "string" ? { vmName: options, quiet: false } : (options ?? {});
      try {
        const task = await request();
        apply({ type: "received", task }, task);
        if (isFinished(task.status)) finished(task.id); // it ended before we could watch it
        const name = vmName ?? task.vm_name;
        if (name && !isFinished(task.status)) inventory.dispatch({ type: "taskStarted", name, taskId: task.id });
        return task;
      } catch (err) {
        session.reportError(err);
        if (!quiet) toasts.show("error", errorDetail(err));
        throw err;
      }
    },
    retry(taskId) {
      const api = session.api();
      if (api) void value.run(() => api.retryTask(taskId)).catch(() => undefined);
    },
    ingest(task, created) {
      if (created) apply({ type: "received", task }, task);
      else apply({ type: "message", message: task }, task);
    },
    syncActive: pollActive,
    cancel(taskId) {
      const api = session.api();
      if (api) void value.run(() => api.cancelTask(taskId)).catch(() => undefined);
    },
    loadHistory,
  };

  return (
    <TasksContext.Provider value={value}>
      {/* One socket per unfinished task only while the event stream is down. */}
      <For each={session.state.live ? [] : unfinishedIds(state)}>
        {(id) => (
          <TaskSubscription
            id={id}
            onTask={(task) => apply({ type: "message", message: task }, task)}
            onState={(streamState) => dispatch({ type: "streamState", id, state: streamState })}
          />
        )}
      </For>
      {props.children}
    </TasksContext.Provider>
  );
}

/** Renders nothing: holds the websocket of one task for as long as it is unfinished. */
function TaskSubscription(props: {
  id: string;
  onTask: (task: Task) => void;
  onState: (state: StreamState) => void;
}) {
  const session = useSession();
  const token = session.state.token;
  if (!token) return null;
  const stream = openTaskStream({
    url: taskSocketUrl(window.location.origin, props.id, token),
    onTask: (task) => props.onTask(task),
    onState: (streamState) => props.onState(streamState),
  });
  onCleanup(() => stream.close());
  return null;
}

export function useTasks(): TasksValue {
  const value = useContext(TasksContext);
  if (!value) throw new Error("useTasks() outside <TasksProvider>");
  return value;
}
