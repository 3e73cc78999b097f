/**
 * Transient notices ("Copied", "Pull finished", a failed request's detail). Pure reducer; the
 * provider owns the id counter and the timers.
 */
export type ToastKind = "info" | "success" | "error";

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

export type ToastAction = { type: "shown"; toast: Toast } | { type: "dismissed"; id: number };

/** At most this many at once; the oldest goes first. */
export const MAX_TOASTS = 4;

export function toastReducer(toasts: readonly Toast[], action: ToastAction): Toast[] {
  switch (action.type) {
    case "shown":
      return [...toasts, action.toast].slice(-MAX_TOASTS);
    case "dismissed":
      return toasts.filter((t) => t.id !== action.id);
  }
}

/** Errors stay longer: they usually need reading. */
export const toastDuration = (kind: ToastKind): number => (kind === "error" ? 10_000 : 4_000);
