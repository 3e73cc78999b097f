/**
 * The one-line text field of the dialogs (clone name, create name, pull reference): a <Field>
 * around a plain text input with autocomplete and spellcheck off, because VM names and OCI
 * references are identifiers, not words. The input carries `data-autofocus`, so the dialog
 * focuses it on open; test ids are `<testid>-input` and `<testid>-error`.
 */
import { Field } from "./field.tsx";

export function TextField(props: {
  id: string;
  label: string;
  hint?: string;
  placeholder?: string;
  error: string | null | undefined;
  showError: boolean;
  testid: string;
  value: string;
  onInput: (value: string) => void;
  onBlur: () => void;
  onKeyDown?: (event: KeyboardEvent) => void;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error} showError={props.showError} testid={props.testid}>
      {(aria) => (
        <input
          id={aria.id}
          aria-invalid={aria["aria-invalid"]}
          aria-describedby={aria["aria-describedby"]}
          type="text"
          autocomplete="off"
          spellcheck={false}
          placeholder={props.placeholder}
          value={props.value}
          data-testid={`${props.testid}-input`}
          data-autofocus
          onInput={(e) => props.onInput(e.currentTarget.value)}
          onBlur={() => props.onBlur()}
          onKeyDown={(e) => props.onKeyDown?.(e)}
        />
      )}
    </Field>
  );
}
