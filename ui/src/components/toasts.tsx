/** The toast stack, announced politely; each toast can be closed by hand. */
import { For } from "solid-js";
import { useToasts } from "../context/toasts.tsx";
import { Icon } from "./icons.tsx";

export function Toasts() {
  const toasts = useToasts();
  return (
    <div class="toasts" role="status" aria-live="polite">
      <For each={toasts.toasts.list}>
        {(toast) => (
          <div class={`toast ${toast.kind}`} data-testid="toast" data-kind={toast.kind}>
            <Icon name={toast.kind === "error" ? "alert" : toast.kind === "success" ? "check" : "info"} />
            <span class="toast-text">{toast.text}</span>
            <button type="button" class="icon-button" aria-label="Dismiss notification" onClick={() => toasts.dismiss(toast.id)}>
              <Icon name="x" />
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
