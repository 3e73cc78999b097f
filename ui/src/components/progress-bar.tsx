/** A determinate or indeterminate progress bar with the percentage as text. */
import { Show } from "solid-js";

export function ProgressBar(props: { value: number | null; label: string; failed?: boolean }) {
  return (
    <div class="progress" classList={{ failed: props.failed }} data-testid="task-progress" data-value={props.value ?? ""}>
      <div
        class="progress-track"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={props.value ?? undefined}
      >
        <div
          class="progress-fill"
          classList={{ indeterminate: props.value === null }}
          style={{ width: props.value === null ? undefined : `${props.value}%` }}
        />
      </div>
      <span class="progress-text" data-testid="task-progress-text">
        <Show when={props.value !== null} fallback="…">
          {Math.floor(props.value ?? 0)}%
        </Show>
      </span>
    </div>
  );
}
