/** "Active operations": running tasks first, then this session's finished ones until dismissed. */
import { For, Show } from "solid-js";
import { useTasks } from "../context/tasks.tsx";
import { isFinished, panelTasks } from "../stores/tasks.ts";
import { TaskEntry } from "./task-entry.tsx";

export function TaskPanel() {
  const tasks = useTasks();
  const list = () => panelTasks(tasks.state);
  const running = () => list().filter((t) => !isFinished(t.status)).length;
  return (
    <section class="task-panel" data-testid="task-panel" aria-labelledby="task-panel-title">
      <header class="panel-header">
        <h2 id="task-panel-title">
          Active operations <span class="count" data-testid="task-panel-count">{running()}</span>
        </h2>
        <Show when={list().length > running()}>
          <button type="button" class="link-button" data-testid="task-clear-finished" onClick={() => tasks.dispatch({ type: "clearFinished" })}>
            Clear finished
          </button>
        </Show>
      </header>
      <Show when={list().length > 0} fallback={<p class="empty">No operations running.</p>}>
        <ul class="task-list">
          <For each={list()}>{(task) => <TaskEntry task={task} stream={tasks.state.streams[task.id]} />}</For>
        </ul>
      </Show>
    </section>
  );
}
