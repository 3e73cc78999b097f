/**
 * A labelled form field with its inline error. The error is tied to the control with
 * aria-describedby/aria-invalid so screen readers announce it; it shows once the field was
 * touched or the form was submitted, not while the user is still on their first keystroke.
 */
import { Show, type JSX } from "solid-js";

export function Field(props: {
  id: string;
  label: string;
  error: string | null | undefined;
  showError: boolean;
  hint?: string;
  testid: string;
  children: (aria: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined }) => JSX.Element;
}) {
  const visible = () => props.showError && !!props.error;
  const describedBy = () =>
    [visible() ? `${props.id}-error` : "", props.hint ? `${props.id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field" classList={{ invalid: visible() }}>
      <label for={props.id}>{props.label}</label>
      {props.children({ id: props.id, "aria-invalid": visible(), "aria-describedby": describedBy() })}
      <Show when={props.hint}>
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
      <Show when={visible()}>
        <p class="error-text" id={`${props.id}-error`} data-testid={`${props.testid}-error`} role="alert">
          {props.error}
        </p>
      </Show>
    </div>
  );
}

/** A server error shown at the bottom of a dialog or form. */
export function FormError(props: { message: string | null; testid?: string }) {
  return (
    <Show when={props.message}>
      <p class="form-error" role="alert" data-testid={props.testid ?? "form-error"}>
        {props.message}
      </p>
    </Show>
  );
}
