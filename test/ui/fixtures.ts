/** The VM the UI tests start from: a stopped local macOS VM, with fields overridden per test. */
import type { Vm } from "../../ui/src/api/types.ts";

export const vm = (name: string, extra: Partial<Vm> = {}): Vm => ({
  name,
  status: "stopped",
  ip_address: null,
  source: "local",
  os: "darwin",
  cpu: 4,
  memory: "8G",
  disk_size: 50,
  display: null,
  kind: "local",
  ...extra,
});
