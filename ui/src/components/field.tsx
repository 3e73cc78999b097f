/**
 * A labelled form field with its inline error. The error is tied to the control with
 * aria-describedby/aria-invalid so screen readers announce it; it shows once the field was
 * touched or the form was submitted, not while the user is still on their first keystroke.
 *
 * The control is rendered once: `children` runs untracked, and the aria state reaches it as
 * getters that the control's own attributes read. (Calling `children` in a tracked scope that
 * reads the error would rebuild the <input> on every keystroke, throwing away focus and caret.)
 */
import { Show, untrack, type JSX } from "solid-js";

/** What a field's control binds: read the two aria values in attributes, so they stay live. */
export interface FieldAria {
  readonly id: string;
  readonly "aria-invalid": boolean;
  readonly "aria-describedby": string | undefined;
}

export function Field(props: {
  id: string;
  label: string;
  error: string | null | undefined;
  showError: boolean;
  hint?: string;
  testid: string;
  children: (aria: FieldAria) => JSX.Element;
}) {
  const visible = () => props.showError && !!props.error;
  const describedBy = () =>
    [visible() ? `${props.id}-error` : "", props.hint ? `${props.id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  const aria: FieldAria = {
    get id() {
      return props.id;
    },
    get "aria-invalid"() {
      return visible();
    },
    get "aria-describedby"() {
      return describedBy();
    },
  };
  const control = untrack(() => props.children(aria));
  return (
    <div class="field" classList={{ invalid: visible() }}>
      <label for={props.id}>{props.label}</label>
      {control}
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
