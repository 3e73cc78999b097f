/** `vms` (the inventory as a table or JSON) and `refresh` (ask tart now). */
import type { Command } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { cell, type Output } from "../output.ts";
import type { Vm } from "../../domain/vm.ts";

export const inventoryCommands: Command[] = [
  {
    name: "vms",
    usage: "vms [--json]",
    summary: "list the VMs and images, with state, IP and size",
    spec: { positionals: [], flags: {} },
    async run({ connect, out }) {
      const connection = connect();
      // A server that has just started has not looked at tart yet: its list would read empty.
      const health = await connection.json<{ inventory: { refreshed_at: number | null } }>("GET", "/api/health");
      const vms = await connection.json<Vm[]>(health.inventory.refreshed_at === null ? "POST" : "GET", health.inventory.refreshed_at === null ? "/api/vms/refresh" : "/api/vms");
      out.data(vms);
      if (!out.json) printVms(out, vms);
      return EXIT.ok;
    },
  },
  {
    name: "refresh",
    usage: "refresh [--json]",
    summary: "have the server ask tart for the list now",
    spec: { positionals: [], flags: {} },
    async run({ connect, out }) {
      const vms = await connect().json<Vm[]>("POST", "/api/vms/refresh");
      out.data(vms);
      if (!out.json) printVms(out, vms);
      return EXIT.ok;
    },
  },
];

function printVms(out: Output, vms: Vm[]): void {
  if (!vms.length) return out.line("no VMs or images (pull one: taartenfabriek pull ghcr.io/cirruslabs/macos-sequoia-base:latest)");
  out.table(
    ["NAME", "KIND", "STATE", "IP", "OS", "CPU", "MEMORY", "DISK", "TASK"],
    vms.map((vm) => [vm.name, vm.kind, cell(vm.state ?? vm.status), cell(vm.ip_address), cell(vm.os), cell(vm.cpu), cell(vm.memory), cell(vm.disk_size), cell(vm.active_task_id)]),
  );
}
