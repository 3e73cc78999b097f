/**
 * Wire schemas of the VM endpoints' bodies. Numbers use TypeBox's strict Integer (Elysia's `t`
 * would also accept "4" as a string); each field carries the message a client sees on 422.
 */
import { Type } from "@sinclair/typebox";
import { t } from "elysia";
import { LIMITS } from "../../domain/limits.ts";
import { MAX_NAME_LENGTH, MAX_REFERENCE_LENGTH } from "../../domain/names.ts";
import { DISPLAY_PATTERN } from "../../domain/vm-settings.ts";

const integer = (field: keyof typeof LIMITS, unit: string) =>
  Type.Integer({
    minimum: LIMITS[field].min,
    maximum: LIMITS[field].max,
    error: `must be an integer from ${LIMITS[field].min} to ${LIMITS[field].max}${unit}`,
  });

const vmName = (what: string) =>
  t.String({ minLength: 1, maxLength: MAX_REFERENCE_LENGTH, error: `must be ${what}` });

export const CloneBody = t.Object(
  {
    new_name: t.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, error: `must be a VM name of 1 to ${MAX_NAME_LENGTH} characters` }),
    start_after_clone: t.Optional(t.Boolean({ error: "must be true or false" })),
  },
  { error: "must be a JSON object with new_name" },
);

export const CreateBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, error: `must be a VM name of 1 to ${MAX_NAME_LENGTH} characters` }),
    source_vm: vmName("the name of a VM or an OCI image to create from"),
    cpu: t.Optional(t.Union([integer("cpu", " cores"), t.Null()], { error: `must be an integer from ${LIMITS.cpu.min} to ${LIMITS.cpu.max}` })),
    memory: t.Optional(t.Union([integer("memory", " GB"), t.Null()], { error: `must be an integer from ${LIMITS.memory.min} to ${LIMITS.memory.max} (GB)` })),
    disk_size: t.Optional(t.Union([integer("disk", " GB"), t.Null()], { error: `must be an integer from ${LIMITS.disk.min} to ${LIMITS.disk.max} (GB)` })),
    force: t.Optional(t.Union([t.Boolean(), t.Null()], { error: "must be true or false (true: create even if the image to pull looks too big for the free space)" })),
  },
  { error: "must be a JSON object with name and source_vm" },
);

/**
 * `POST /api/vms/create` from scratch (create-from-scratch.ts): `from_ipsw` or `linux` in place of
 * `source_vm`. A body with `source_vm` is CreateBody's, exactly as before.
 */
export const CreateScratchBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, error: `must be a VM name of 1 to ${MAX_NAME_LENGTH} characters` }),
    from_ipsw: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 2048, error: 'must be "latest", an https URL of an .ipsw file, or the absolute path of one' }), t.Null()], { error: 'must be "latest", an https URL of an .ipsw file, or the absolute path of one' })),
    linux: t.Optional(t.Union([t.Boolean(), t.Null()], { error: "must be true or false (true: an empty Linux VM)" })),
    disk_size: t.Optional(t.Union([integer("disk", " GB"), t.Null()], { error: `must be an integer from ${LIMITS.disk.min} to ${LIMITS.disk.max} (GB)` })),
    disk_format: t.Optional(t.Union([t.Literal("raw"), t.Literal("asif"), t.Null()], { error: 'must be "raw" or "asif" (ASIF: macOS 26 hosts)' })),
    cpu: t.Optional(t.Union([integer("cpu", " cores"), t.Null()], { error: `must be an integer from ${LIMITS.cpu.min} to ${LIMITS.cpu.max}` })),
    memory: t.Optional(t.Union([integer("memory", " GB"), t.Null()], { error: `must be an integer from ${LIMITS.memory.min} to ${LIMITS.memory.max} (GB)` })),
  },
  // New fields, so a misspelt one is refused rather than silently left out.
  { additionalProperties: false, error: "must be a JSON object with name and from_ipsw or linux, and any of disk_size, disk_format, cpu, memory" },
);

export const PullBody = t.Object(
  {
    oci_url: t.String({ minLength: 1, maxLength: MAX_REFERENCE_LENGTH, error: "must be an OCI reference such as ghcr.io/cirruslabs/macos-sequoia-base:latest" }),
    force: t.Optional(t.Boolean({ error: "must be true or false (true: pull even if the image looks too big for the free space)" })),
  },
  { error: "must be a JSON object with oci_url" },
);

/**
 * `POST …/start`: `{}` as before (other keys are ignored, as they always were); `suspendable`
 * adds `tart run --suspendable`. A plain object schema, not a union with null, so a wrong
 * `suspendable` is reported on that field (routes/vm-by-name.ts treats a null body as `{}`).
 */
export const StartBody = t.Object(
  {
    suspendable: t.Optional(t.Boolean({ error: "must be true or false (true: start the VM so that it can be suspended; macOS guests only)" })),
    console: t.Optional(t.Boolean({ error: "must be true or false (true: run tart's own VNC server, for the browser console)" })),
  },
  { error: 'must be a JSON object, {} or {"suspendable": true}' }, // unchanged: scripts and tests match it
);

/** `POST …/stop`: `{}` as before; `force` stops at once and kills a run that hangs. */
export const StopBody = t.Object(
  { force: t.Optional(t.Boolean({ error: "must be true or false (true: stop at once, killing the VM's tart run if it hangs)" })) },
  { error: 'must be a JSON object, {} or {"force": true}' },
);

export const RenameBody = t.Object(
  {
    new_name: t.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, error: `must be a VM name of 1 to ${MAX_NAME_LENGTH} characters` }),
  },
  { error: "must be a JSON object with new_name" },
);

export const SettingsBody = t.Object(
  {
    cpu: t.Optional(t.Union([integer("cpu", " cores"), t.Null()], { error: `must be an integer from ${LIMITS.cpu.min} to ${LIMITS.cpu.max}` })),
    memory: t.Optional(t.Union([integer("memory", " GB"), t.Null()], { error: `must be an integer from ${LIMITS.memory.min} to ${LIMITS.memory.max} (GB)` })),
    display: t.Optional(
      t.Union([t.String({ pattern: DISPLAY_PATTERN, error: "must be WIDTHxHEIGHT such as 1920x1080, optionally ending in px or pt" }), t.Null()], {
        error: "must be WIDTHxHEIGHT such as 1920x1080, optionally ending in px or pt",
      }),
    ),
    disk_size: t.Optional(t.Union([integer("disk", " GB"), t.Null()], { error: `must be an integer from ${LIMITS.disk.min} to ${LIMITS.disk.max} (GB)` })),
    random_mac: t.Optional(t.Union([t.Boolean(), t.Null()], { error: "must be true or false (true: give the VM a new random MAC address)" })),
    random_serial: t.Optional(t.Union([t.Boolean(), t.Null()], { error: "must be true or false (true: give the macOS VM a new random serial number)" })),
  },
  // A new route, so a misspelt field is refused rather than silently left out of the change.
  { additionalProperties: false, error: "must be a JSON object with any of cpu, memory, display, disk_size, random_mac, random_serial" },
);

/** Bodies of the action routes that take none: `{}` (or nothing at all). */
export const EmptyBody = t.Optional(t.Union([t.Object({}), t.Null()], { error: "must be a JSON object" }));

export const ConfigQuery = t.Object({
  force_refresh: t.Optional(t.Union([t.Literal("true"), t.Literal("false"), t.Literal("1"), t.Literal("0")], { error: "must be true or false" })),
});
