/**
 * The VM as the API shows it (docs/API.md "VM", with tart's exact `state`, `kind`, `size_on_disk`,
 * `accessed`, `digest`, `active_task_id` and `suspendable`). `status` keeps the original API's three values: a suspended VM
 * is "stopped" there, and "suspended" in `state`.
 */
import type { TartState } from "./ports.ts";

export interface Vm {
  name: string;
  status: "running" | "stopped" | "unknown";
  ip_address: string | null;
  source: string | null;
  os: string | null;
  cpu: number | null;
  memory: string | null;
  disk_size: number | string | null;
  display: string | null;
  state: TartState | null;
  kind: "oci" | "local";
  size_on_disk: number | null;
  accessed: string | null;
  digest: string | null;
  active_task_id: string | null;
  /**
   * While it runs: whether this server started the VM's `tart run` suspendable (or resumed it
   * from a snapshot), so that it can be suspended; null when not running or not started by this
   * server (which then does not know).
   */
  suspendable: boolean | null;
}

export function statusOf(state: TartState | null): Vm["status"] {
  if (state === "running") return "running";
  if (state === "stopped" || state === "suspended") return "stopped";
  return "unknown";
}
