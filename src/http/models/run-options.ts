/**
 * Wire schema of PUT /api/vms/{name}/run-options (docs/API.md "Run options"). The shape only:
 * what the values mean on this host (folders that exist, interfaces, tart's rules) is checked by
 * domain/run-options.ts, which names the field at fault. The lists and the network are objects
 * or absent (not null), so a wrong value inside them is reported on its own field. Unknown fields are refused: a misspelt
 * option would otherwise be dropped silently from every start.
 */
import { t } from "elysia";
import { MAX_CIDRS, MAX_SHARED_FOLDERS } from "../../domain/run-options.ts";

export type { RunOptionsView } from "../../domain/run-options-kept.ts";
export type { MountHint, NetworkMode, RunNetwork, SharedFolder, VmRunOptions } from "../../domain/run-options.ts";

const cidrs = (what: string) =>
  t.Optional(t.Union([t.Array(t.String({ maxLength: 18, error: "must be an IPv4 CIDR such as 10.0.0.0/16" }), { maxItems: MAX_CIDRS, error: `must be a list of at most ${MAX_CIDRS} CIDRs ${what}` }), t.Null()], { error: `must be a list of CIDRs ${what}` }));

export const RunOptionsBody = t.Object(
  {
    shared_folders: t.Optional(
        t.Array(
          t.Object(
            {
              name: t.String({ minLength: 1, maxLength: 64, error: "must be the folder's name in the guest (1 to 64 characters)" }),
              path: t.String({ minLength: 1, maxLength: 4096, error: "must be an absolute path of a directory on this host" }),
              read_only: t.Optional(t.Union([t.Boolean(), t.Null()], { error: "must be true or false (true: the guest cannot write to it)" })),
            },
            { additionalProperties: false, error: "must be an object with name, path and optionally read_only" },
          ),
          { maxItems: MAX_SHARED_FOLDERS, error: `must be a list of at most ${MAX_SHARED_FOLDERS} folders of {name, path, read_only}` },
        ),
    ),
    network: t.Optional(
        t.Object(
          {
            mode: t.Union([t.Literal("nat"), t.Literal("bridged"), t.Literal("softnet"), t.Literal("host")], { error: 'must be "nat", "bridged", "softnet" or "host"' }),
            interface: t.Optional(t.Union([t.String({ maxLength: 64, error: "must be a host interface such as en0" }), t.Null()], { error: "must be a host interface such as en0" })),
            allow: cidrs("the VM may reach (softnet)"),
            block: cidrs("the VM may not reach (softnet)"),
          },
          { additionalProperties: false, error: 'must be an object such as {"mode": "nat"} or {"mode": "bridged", "interface": "en0"}' },
        ),
    ),
    nested: t.Optional(t.Union([t.Boolean(), t.Null()], { error: "must be true or false (nested virtualization, Linux guests)" })),
    no_audio: t.Optional(t.Union([t.Boolean(), t.Null()], { error: "must be true or false (true: no audio device)" })),
    root_disk_opts: t.Optional(t.Union([t.String({ maxLength: 200, error: "must be tart's root disk options such as caching=cached,sync=none" }), t.Null()], { error: "must be tart's root disk options such as caching=cached,sync=none" })),
  },
  { additionalProperties: false, error: "must be a JSON object with any of shared_folders, network, nested, no_audio, root_disk_opts" },
);
