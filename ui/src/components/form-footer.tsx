/**
 * The end of a dialog's form: the server's error (if the last try failed), then Cancel and the
 * primary submit button. Kept apart from <Dialog>'s own footer slot because it must sit inside
 * the <form> for Enter and the submit button to submit it.
 */
import { FormError } from "./field.tsx";

export function FormFooter(props: {
  error: string | null;
  errorTestid: string;
  submitLabel: string;
  submitTestid: string;
  disabled: boolean;
  onCancel: () => void;
}) {
  return (
    <>
      <FormError message={props.error} testid={props.errorTestid} />
      <div class="dialog-actions">
        <button type="button" class="button" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="submit" class="button primary" disabled={props.disabled} data-testid={props.submitTestid}>
          {props.submitLabel}
        </button>
      </div>
    </>
  );
}
