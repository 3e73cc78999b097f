/**
 * "Start with the server" (the restart policy, GET/POST /api/autostart) in a local VM's details
 * dialog. It lives there, not on the card, so a page of cards costs no extra request or row. The
 * box is disabled until the list is read and while a change is on its way; the server's answer
 * (the whole list) is what it then shows, and a refusal is a toast.
 */
import { createResource, createSignal } from "solid-js";
import { errorDetail } from "../api/client.ts";
import { useSession } from "../context/session.tsx";
import { useToasts } from "../context/toasts.tsx";

export function AutostartToggle(props: { name: string }) {
  const session = useSession();
  const toasts = useToasts();
  const [saving, setSaving] = createSignal(false);
  const [list, { mutate }] = createResource(session.api, async (api) => {
    try {
      return (await api.autostart()).vms;
    } catch (err) {
      session.reportError(err);
      return undefined;
    }
  });
  const isOn = () => {
    const vms = list();
    return vms === undefined ? undefined : vms.some((vm) => vm.toLowerCase() === props.name.toLowerCase());
  };
  const change = async (input: HTMLInputElement) => {
    const api = session.api();
    if (!api) return;
    setSaving(true);
    try {
      mutate((await api.setAutostart(props.name, input.checked)).vms);
      toasts.show("success", input.checked ? `${props.name} starts whenever the server starts` : `${props.name} no longer starts with the server`);
    } catch (err) {
      session.reportError(err);
      toasts.show("error", `Autostart of ${props.name}: ${errorDetail(err)}`);
    } finally {
      input.checked = isOn() === true;
      setSaving(false);
    }
  };
  return (
    <label class="checkbox autostart-toggle">
      <input
        type="checkbox"
        data-testid={`autostart-${props.name}`}
        checked={isOn() === true}
        disabled={saving() || isOn() === undefined}
        onChange={(e) => void change(e.currentTarget)}
      />
      <span>Start this VM whenever the server starts (at login, with <code>taartenfabriek service install</code>)</span>
    </label>
  );
}
