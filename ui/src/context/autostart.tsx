/**
 * AutostartProvider and useAutostart(): which VMs the server starts when it starts
 * (GET/POST /api/autostart), read once per sign-in and shared by every VM card, so a page of a
 * hundred cards asks once. A change is sent, and the server's answer (the whole list) replaces
 * the one shown.
 */
import { createContext, createResource, useContext, type JSX } from "solid-js";
import { useSession } from "./session.tsx";

export interface AutostartValue {
  /** Whether the VM is marked; undefined until the list has been read. */
  isOn: (name: string) => boolean | undefined;
  set: (name: string, enabled: boolean) => Promise<void>;
}

const AutostartContext = createContext<AutostartValue>();

export function AutostartProvider(props: { children: JSX.Element }) {
  const session = useSession();
  const [list, { mutate }] = createResource(session.api, async (api) => {
    try {
      return new Set((await api.autostart()).vms.map((name) => name.toLowerCase()));
    } catch (err) {
      session.reportError(err);
      return undefined;
    }
  });
  const value: AutostartValue = {
    isOn: (name) => list()?.has(name.toLowerCase()),
    async set(name, enabled) {
      const api = session.api();
      if (!api) return;
      const answer = await api.setAutostart(name, enabled);
      mutate(new Set(answer.vms.map((vm) => vm.toLowerCase())));
    },
  };
  return <AutostartContext.Provider value={value}>{props.children}</AutostartContext.Provider>;
}

export function useAutostart(): AutostartValue {
  const value = useContext(AutostartContext);
  if (!value) throw new Error("useAutostart() outside AutostartProvider");
  return value;
}
