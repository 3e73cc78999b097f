/**
 * The VM card's "Start with the server" switch (the restart policy, POST /api/autostart). While
 * the change is on its way the box is disabled; a refusal is shown as a toast and the box goes
 * back to what the server holds.
 */
import { createSignal } from "solid-js";
import { errorDetail } from "../api/client.ts";
import { useAutostart } from "../context/autostart.tsx";
import { useSession } from "../context/session.tsx";
import { useToasts } from "../context/toasts.tsx";

export function AutostartToggle(props: { name: string }) {
  const autostart = useAutostart();
  const session = useSession();
  const toasts = useToasts();
  const [saving, setSaving] = createSignal(false);
  const change = async (input: HTMLInputElement) => {
    setSaving(true);
    try {
      await autostart.set(props.name, input.checked);
      toasts.show("success", input.checked ? `${props.name} starts whenever the server starts` : `${props.name} no longer starts with the server`);
    } catch (err) {
      session.reportError(err);
      toasts.show("error", `Autostart of ${props.name}: ${errorDetail(err)}`);
    } finally {
      input.checked = autostart.isOn(props.name) === true;
      setSaving(false);
    }
  };
  return (
    <label class="checkbox-inline autostart-toggle" title="Start this VM whenever the taartenfabriek server starts (at login with taartenfabriek service install)">
      <input
        type="checkbox"
        data-testid={`autostart-${props.name}`}
        checked={autostart.isOn(props.name) === true}
        disabled={saving() || autostart.isOn(props.name) === undefined}
        onChange={(e) => void change(e.currentTarget)}
      />
      <span>Start with the server</span>
    </label>
  );
}
