/**
 * ToastProvider and useToasts(): show a short notice from anywhere. The list lives in a store
 * changed by the pure toastReducer; ids and timers are per provider, not module globals.
 */
import { createContext, onCleanup, useContext, type JSX } from "solid-js";
import { createStore, reconcile, unwrap } from "solid-js/store";
import { toastDuration, toastReducer, type Toast, type ToastAction, type ToastKind } from "../stores/toasts.ts";

export interface ToastsValue {
  toasts: { list: Toast[] };
  show: (kind: ToastKind, text: string) => void;
  dismiss: (id: number) => void;
}

const ToastContext = createContext<ToastsValue>();

export function ToastProvider(props: { children: JSX.Element }) {
  const [state, setState] = createStore<{ list: Toast[] }>({ list: [] });
  const dispatch = (action: ToastAction) =>
    setState("list", reconcile(toastReducer(unwrap(state.list), action), { key: "id" }));
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let nextId = 1;
  onCleanup(() => timers.forEach(clearTimeout));

  const value: ToastsValue = {
    toasts: state,
    show(kind, text) {
      const id = nextId++;
      dispatch({ type: "shown", toast: { id, kind, text } });
      const timer = setTimeout(() => {
        timers.delete(timer);
        dispatch({ type: "dismissed", id });
      }, toastDuration(kind));
      timers.add(timer);
    },
    dismiss: (id) => dispatch({ type: "dismissed", id }),
  };
  return <ToastContext.Provider value={value}>{props.children}</ToastContext.Provider>;
}

export function useToasts(): ToastsValue {
  const value = useContext(ToastContext);
  if (!value) throw new Error("useToasts() outside <ToastProvider>");
  return value;
}
