/**
 * The words the VM list shows: what a VM is doing while a task runs on it ("Starting…",
 * "Pulling 43%"), the guest OS as people say it (macOS, Linux), what an OCI image is (repository,
 * tag, digest), and how to connect to a running VM. Pure functions with unit tests; the
 * components only place the strings.
 */
import type { Task, Vm } from "../api/types.ts";
import { isOci } from "../stores/vms.ts";
import { taskProgress } from "./progress.ts";

/** tart says `darwin` and `linux`; people say macOS and Linux. Unknown values are shown as given. */
export function osLabel(os: string | null | undefined): string {
  if (!os) return "—";
  const key = os.trim().toLowerCase();
  if (key === "darwin" || key === "macos") return "macOS";
  if (key === "linux") return "Linux";
  return os;
}

export const isMacOs = (vm: Pick<Vm, "os">): boolean => {
  const key = vm.os?.trim().toLowerCase();
  return key === "darwin" || key === "macos";
};

/**
 * What a task in flight is doing to the VM called `vmName`, as the badge shows it. A clone or
 * create also holds its source VM: the source says where the copy goes.
 */
export function inFlightLabel(task: Pick<Task, "action" | "status" | "vm_name" | "progress" | "logs"> & Partial<Pick<Task, "command">>, vmName: string): string {
  const target = task.vm_name ?? vmName;
  const self = target === vmName;
  switch (task.action) {
    case "start_vm":
      // tart says so when the VM had a saved state: this start is a resume.
      return task.logs.some((line) => line.startsWith("restoring VM state from a snapshot")) ? "Resuming…" : "Starting…";
    case "stop_vm": {
      const at = task.command?.indexOf("--timeout") ?? -1;
      return at >= 0 && task.command?.[at + 1] === "0" ? "Force stopping…" : "Stopping…";
    }
    case "suspend_vm":
      return "Suspending…";
    case "rename_vm": {
      const to = renameTarget(task.command);
      return self && to ? `Renaming to ${to}…` : "Renaming…";
    }
    case "settings_vm":
      return "Applying settings…";
    case "delete_vm":
      return "Deleting…";
    case "clone_vm":
      return self ? "Cloning…" : `Cloning to ${target}…`;
    case "create_vm":
      return self ? "Creating…" : `Creating ${target}…`;
    case "pull_vm": {
      const p = task.status === "pending" ? null : taskProgress(task);
      return p === null ? "Pulling…" : `Pulling ${Math.floor(p)}%`;
    }
    default:
      return "Working…";
  }
}

/** `tart rename OLD NEW` → NEW; null before the command ran. */
export function renameTarget(command: readonly string[] | null | undefined): string | null {
  const at = command?.indexOf("rename") ?? -1;
  return at >= 0 ? (command?.[at + 2] ?? null) : null;
}

/**
 * The task working on a VM now: the one the server names in `active_task_id`, else one the UI
 * started (or heard of) for that name that has not finished — a pull of an image, or the moment
 * between the action's answer and the next poll.
 */
export function taskForVm<T extends Pick<Task, "status">>(
  vm: Pick<Vm, "name" | "active_task_id">,
  byId: Record<string, T | undefined>,
  unfinishedByName: ReadonlyMap<string, T>,
): T | undefined {
  const held = vm.active_task_id ? byId[vm.active_task_id] : undefined;
  if (held && held.status !== "completed" && held.status !== "failed") return held;
  return unfinishedByName.get(vm.name);
}

export interface ImageRef {
  /** "ghcr.io/cirruslabs/macos-sequoia-base" */
  repository: string;
  /** "latest", or null for a reference by digest only. */
  tag: string | null;
  /** "sha256:…" when the reference (or the server) names one. */
  digest: string | null;
}

/** Splits an OCI reference: `host/path:tag`, `host/path@sha256:…`; a port in the host is not a tag. */
export function parseImageRef(name: string, digest?: string | null): ImageRef {
  let rest = name;
  let refDigest: string | null = null;
  const at = rest.indexOf("@");
  if (at >= 0) {
    refDigest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, tag, digest: refDigest ?? digest ?? null };
}

/** "sha256:64c80d5a4466…" → "sha256:64c80d5a4466" (12 hex digits are enough to tell images apart). */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return "—";
  const [algo, hex] = digest.includes(":") ? digest.split(":", 2) : ["", digest];
  return `${algo ? `${algo}:` : ""}${(hex ?? "").slice(0, 12)}`;
}

export interface ConnectInfo {
  ip: string;
  ssh: string;
  /** Screen Sharing runs on macOS guests only. */
  vnc: string | null;
}

/** How to reach a running VM, or null when it has no address (not running, or not booted yet). */
export function connectInfo(vm: Pick<Vm, "ip_address" | "status" | "state" | "os">): ConnectInfo | null {
  const running = vm.status === "running" || vm.state === "running";
  if (!running || !vm.ip_address) return null;
  return { ip: vm.ip_address, ssh: `ssh admin@${vm.ip_address}`, vnc: isMacOs(vm) ? `vnc://${vm.ip_address}` : null };
}

export interface DeleteWording {
  title: string;
  /** "Delete the VM" / "Remove the image" — the sentence continues with the name(s). */
  lead: string;
  /** What deleting does, after the name. */
  effect: string;
  button: string;
}

/** The words of the delete confirmation for what is selected: VMs, images, or both. */
export function deleteWording(vms: readonly Pick<Vm, "name" | "kind" | "source">[]): DeleteWording {
  const images = vms.filter((vm) => isOci(vm)).length;
  const locals = vms.length - images;
  const IMAGE_EFFECT =
    "It is removed from tart's OCI cache; VMs created from it keep their own disks, and pulling it again downloads it anew.";
  const VM_EFFECT = "Its disk is removed and this cannot be undone.";
  if (vms.length === 1) {
    const name = vms[0]!.name;
    return images
      ? { title: "Delete image", lead: "Remove the image", effect: IMAGE_EFFECT, button: `Delete image ${name}` }
      : { title: "Delete VM", lead: "Delete the VM", effect: VM_EFFECT, button: `Delete ${name}` };
  }
  if (images === 0) return { title: `Delete ${locals} VMs`, lead: `Delete these ${locals} VMs?`, effect: "Their disks are removed and this cannot be undone.", button: `Delete ${locals} VMs` };
  if (locals === 0) return { title: `Delete ${images} images`, lead: `Remove these ${images} images from tart's OCI cache?`, effect: "VMs created from them keep their own disks.", button: `Delete ${images} images` };
  return {
    title: `Delete ${vms.length} items`,
    lead: `Delete these ${locals} VMs and ${images} images?`,
    effect: "The VMs' disks are removed; the images leave tart's OCI cache. This cannot be undone.",
    button: `Delete ${vms.length} items`,
  };
}

