/**
 * VmListProvider and useVmList(): what every card and row of the VM page needs besides its VM —
 * the page-wide block (server offline, tart missing) with its reason, the task in flight on a
 * VM and its label ("Starting…", "Pulling 43%"), the row selection, and the page's action
 * handler. One context instead of the same five props threaded through section, table and card.
 */
import { createContext, createMemo, useContext, type Accessor, type JSX } from "solid-js";
import type { Vm } from "../api/types.ts";
import type { VmActionKind } from "../components/vm-actions.tsx";
import { inFlightLabel, taskForVm } from "../lib/vm-labels.ts";
import { isFinished, type TaskRecord } from "../stores/tasks.ts";
import { useTasks } from "./tasks.tsx";

export interface VmListValue {
  /** Why nothing that needs the server can be done now, or null. */
  block: Accessor<string | null>;
  /** The label of the task in flight on a VM ("Starting…"), or null when it is idle. */
  busyLabel: (vm: Vm) => string | null;
  /** The task in flight on a VM, or null: a pull's card shows its bar from it. */
  busyTask: (vm: Vm) => TaskRecord | null;
  onAction: (vm: Vm, kind: VmActionKind) => void;
  isSelected: (name: string) => boolean;
  toggleSelected: (name: string, on: boolean) => void;
}

const VmListContext = createContext<VmListValue>();

export function VmListProvider(props: Omit<VmListValue, "busyLabel" | "busyTask"> & { children: JSX.Element }) {
  const tasks = useTasks();
  // Unfinished tasks by the VM they name; rebuilt when a task starts or ends, not per log line.
  const unfinishedByName = createMemo(() => {
    const map = new Map<string, TaskRecord>();
    for (const id of tasks.state.panel) {
      const task = tasks.state.byId[id];
      if (task && !isFinished(task.status) && task.vm_name && !map.has(task.vm_name)) map.set(task.vm_name, task);
    }
    return map;
  });
  const value: VmListValue = {
    block: () => props.block(),
    busyLabel(vm) {
      const task = value.busyTask(vm);
      if (task) return inFlightLabel(task, vm.name);
      return vm.active_task_id ? "Working…" : null;
    },
    busyTask: (vm) => taskForVm(vm, tasks.state.byId, unfinishedByName()) ?? null,
    onAction: (vm, kind) => props.onAction(vm, kind),
    isSelected: (name) => props.isSelected(name),
    toggleSelected: (name, on) => props.toggleSelected(name, on),
  };
  return <VmListContext.Provider value={value}>{props.children}</VmListContext.Provider>;
}

export function useVmList(): VmListValue {
  const value = useContext(VmListContext);
  if (!value) throw new Error("useVmList() outside <VmListProvider>");
  return value;
}
