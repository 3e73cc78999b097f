/**
 * The Run options dialog's form: the kept options (GET /api/vms/{name}/run-options) as fields,
 * the PUT body they make, the problems tart's rules find as they are typed (the same module the
 * server checks with: src/domain/run-options.ts; whether a folder exists is the server's to say),
 * and the `tart run` line every start will run. Pure, with unit tests.
 */
import { runArgs } from "../../../src/adapters/tart/tart-argv.ts";
import {
  checkRunOptions,
  mountHints,
  problemsOf,
  type MountHint,
  type NetworkMode,
  type RunOptionsInput,
  type VmRunOptions,
} from "../../../src/domain/run-options.ts";
import { renderLine } from "./command-preview.ts";

export interface FolderRow {
  name: string;
  path: string;
  readOnly: boolean;
}

export interface RunOptionsForm {
  folders: FolderRow[];
  mode: NetworkMode;
  iface: string;
  /** Comma- or space-separated CIDRs (softnet). */
  allow: string;
  block: string;
  nested: boolean;
  noAudio: boolean;
  rootDiskOpts: string;
}

export interface FormFacts {
  os: string | null;
  tartVersion: string | null;
  hostOs: { name: string; version: string | null } | null;
  interfaces: string[] | null;
}

export function formOf(options: VmRunOptions): RunOptionsForm {
  return {
    folders: options.shared_folders.map((f) => ({ name: f.name, path: f.path, readOnly: f.read_only })),
    mode: options.network.mode,
    iface: options.network.interface ?? "",
    allow: (options.network.allow ?? []).join(", "),
    block: (options.network.block ?? []).join(", "),
    nested: options.nested,
    noAudio: options.no_audio,
    rootDiskOpts: options.root_disk_opts ?? "",
  };
}

const list = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** The PUT body: only what the chosen network mode takes. */
export function requestOf(form: RunOptionsForm): RunOptionsInput {
  return {
    shared_folders: form.folders.map((f) => ({ name: f.name.trim(), path: f.path.trim(), read_only: f.readOnly })),
    network: {
      mode: form.mode,
      ...(form.mode === "bridged" ? { interface: form.iface.trim() } : {}),
      ...(form.mode === "softnet" ? { allow: list(form.allow), block: list(form.block) } : {}),
    },
    nested: form.nested,
    no_audio: form.noAudio,
    root_disk_opts: form.rootDiskOpts.trim() || null,
  };
}

/** What tart's rules say of the form now; folders are taken to exist (the server checks them). */
export function formProblems(form: RunOptionsForm, facts: FormFacts): string[] {
  const options = normalized(form);
  return problemsOf(options, { ...facts, isDirectory: () => true });
}

/** The `tart run …` line a start will run with these options (`--suspendable` aside). */
export function runLine(name: string, form: RunOptionsForm): string {
  return renderLine(runArgs(name, { vm: normalized(form) }));
}

export function hintsOf(form: RunOptionsForm, os: string | null): MountHint[] {
  return mountHints({ shared_folders: normalized(form).shared_folders.filter((f) => f.name) }, os);
}

/** "shared_folders[1].path: …" → "folder-1-path"; the field a problem belongs to, for the UI. */
export function fieldOfProblem(problem: string): string {
  const folder = /^shared_folders\[(\d+)\]\.(name|path)/.exec(problem);
  if (folder) return `folder-${folder[1]}-${folder[2]}`;
  const key = /^([a-z_]+)/.exec(problem)?.[1] ?? "";
  return key === "network" ? "network" : key;
}

/** The form as the server would store it (checkRunOptions' normal form, without its checks). */
function normalized(form: RunOptionsForm): VmRunOptions {
  try {
    return checkRunOptions(requestOf(form), { os: null, tartVersion: null, hostOs: null, interfaces: null, isDirectory: () => true });
  } catch {
    // Invalid for now: shown as typed, the problems list says what is wrong.
    const request = requestOf(form);
    return {
      shared_folders: (request.shared_folders ?? []).map((f) => ({ name: f.name, path: f.path, read_only: f.read_only === true })),
      network: { mode: form.mode, interface: form.iface.trim() || null, allow: list(form.allow), block: list(form.block) },
      nested: form.nested,
      no_audio: form.noAudio,
      root_disk_opts: form.rootDiskOpts.trim() || null,
    };
  }
}
