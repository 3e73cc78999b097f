/**
 * The busy flag and server error of a dialog's one action (clone, create, pull, delete): while
 * it runs the submit button is disabled; on success the dialog closes; on failure the server's
 * detail stays in the dialog, so the user can fix the input and try again. Call it in the
 * dialog component; `run` resolves either way and never throws.
 */
import { createSignal, type Accessor } from "solid-js";
import { ApiError, errorDetail } from "../api/client.ts";

export interface DialogAction {
  busy: Accessor<boolean>;
  error: Accessor<string | null>;
  /** The HTTP status of that error (507: the image does not fit, so the dialog can offer force). */
  status: Accessor<number | null>;
  run: (action: () => Promise<unknown>) => Promise<void>;
}

export function createDialogAction(onDone: () => void): DialogAction {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [status, setStatus] = createSignal<number | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await action();
      onDone();
    } catch (err) {
      setError(errorDetail(err));
      setStatus(err instanceof ApiError ? err.status : null);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, status, run };
}
