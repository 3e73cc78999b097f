/**
 * GET and PUT /api/vms/{name}/run-options' answer (docs/API.md "Run options") as a TypeBox
 * schema, for the OpenAPI document: domain/run-options-kept.ts's RunOptionsView plus the `tart
 * run` line the route adds. Tied to those interfaces at the bottom, as wire-schemas.ts does.
 */
import { Type as T, type Static } from "@sinclair/typebox";
import type { RunOptionsView } from "../../domain/run-options-kept.ts";
import type { MountHint, NetworkMode, VmRunOptions } from "../../domain/run-options.ts";
import { literals, Nullable, tied, type Same } from "./wire-schemas.ts";

const cidrs = (what: string) => T.Optional(Nullable(T.Array(T.String()), `softnet: IPv4 CIDRs the VM may ${what}`));

export const VmRunOptionsSchema = T.Object(
  {
    shared_folders: T.Array(
      T.Object({
        name: T.String({ description: "the folder's name in the guest" }),
        path: T.String({ description: "an absolute directory on this host" }),
        read_only: T.Boolean(),
      }),
      { description: "`--dir NAME:PATH[:ro]`" },
    ),
    network: T.Object({
      mode: literals(["nat", "bridged", "softnet", "host"] as const, "`nat` is tart's default"),
      interface: T.Optional(Nullable(T.String(), "bridged: the host interface, e.g. en0")),
      allow: cidrs("reach beyond softnet's default"),
      block: cidrs("not reach"),
    }),
    nested: T.Boolean({ description: "`--nested`: Linux guests on a macOS 15+ host" }),
    no_audio: T.Boolean({ description: "`--no-audio`" }),
    root_disk_opts: Nullable(T.String(), "`--root-disk-opts`"),
  },
  { description: "The options as kept, every field present" },
);

const MountHintSchema = T.Object({
  name: T.String(),
  guest_path: T.String({ description: "where the folder appears in the guest" }),
  mount_command: Nullable(T.String(), "what to run in a Linux guest first; null for macOS, which mounts it by itself"),
});

export const RunOptionsSchema = T.Object(
  {
    name: T.String(),
    os: Nullable(T.String(), "the guest OS (`darwin`, `linux`), when known"),
    kept: T.Boolean({ description: "false: none kept, a start runs with tart's defaults" }),
    options: VmRunOptionsSchema,
    command: T.Array(T.String(), { description: "the `tart run` arguments a start runs with them (without --suspendable)" }),
    command_line: T.String({ description: "the same as one line to paste into a terminal" }),
    mount_hints: T.Array(MountHintSchema),
    bridged_interfaces: Nullable(T.Array(T.String()), "the host's interfaces a bridged network can use; null when they could not be read"),
    problems: T.Array(T.String(), { description: "why a start with the kept options would be refused now; empty when it may run" }),
  },
  { description: "The run options kept for a local VM, and the `tart run` they make" },
);

tied<Same<Static<typeof VmRunOptionsSchema>, VmRunOptions>>();
tied<Same<Static<typeof VmRunOptionsSchema>["network"]["mode"], NetworkMode>>();
tied<Same<Static<typeof MountHintSchema>, MountHint>>();
tied<Same<Static<typeof RunOptionsSchema>, RunOptionsView & { command: string[]; command_line: string }>>();
