/**
 * A determinate or indeterminate progress bar with the percentage as text and, for a pull, the
 * line under it that says how far, how fast and how long (lib/pull-progress.ts).
 */
import { Show } from "solid-js";

export function ProgressBar(props: { value: number | null; label: string; failed?: boolean; detail?: string | null; testid?: string }) {
  const testid = () => props.testid ?? "task-progress";
  return (
    <div class="progress-block">
      <div class="progress" classList={{ failed: props.failed }} data-testid={testid()} data-value={props.value ?? ""}>
        <div
          class="progress-track"
          role="progressbar"
          aria-label={props.label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={props.value ?? undefined}
          aria-valuetext={props.detail ?? undefined}
        >
          <div
            class="progress-fill"
            classList={{ indeterminate: props.value === null }}
            style={{ width: props.value === null ? undefined : `${props.value}%` }}
          />
        </div>
        <span class="progress-text" data-testid={`${testid()}-text`}>
          <Show when={props.value !== null} fallback="…">
            {Math.floor(props.value ?? 0)}%
          </Show>
        </span>
      </div>
      <Show when={props.detail}>
        <p class="progress-detail muted small" data-testid={`${testid()}-detail`}>
          {props.detail}
        </p>
      </Show>
    </div>
  );
}
