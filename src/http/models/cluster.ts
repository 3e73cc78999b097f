/**
 * Wire schemas of the cluster routes' bodies (docs/API.md "Clusters"). CPU, memory (GB) and disk
 * (GB) share the local create's bounds (domain/limits.ts); memory is converted to Orchard's MiB
 * by the domain. Each field carries the message a client sees on 422.
 */
import { Type } from "@sinclair/typebox";
import { t } from "elysia";
import { LIMITS } from "../../domain/limits.ts";
import { CLUSTER_NAME_RULE } from "../../orchard/cluster-config.ts";

const optionalText = (max: number, error: string) => t.Optional(t.Union([t.String({ maxLength: max, error }), t.Null()], { error }));
const bounded = (field: keyof typeof LIMITS, unit: string) =>
  t.Optional(
    t.Union([Type.Integer({ minimum: LIMITS[field].min, maximum: LIMITS[field].max }), t.Null()], {
      error: `must be an integer from ${LIMITS[field].min} to ${LIMITS[field].max}${unit}`,
    }),
  );
const stringMap = (what: string) => t.Optional(t.Union([t.Record(t.String({ maxLength: 256 }), t.String({ maxLength: 4096 })), t.Null()], { error: `must be an object of ${what}` }));

export const AddClusterBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 63, error: `must be ${CLUSTER_NAME_RULE}` }),
    url: t.String({ minLength: 1, maxLength: 2048, error: "must be the controller's address, e.g. https://orchard.example.com:6120" }),
    service_account_name: optionalText(256, "must be a service account name"),
    service_account_token: optionalText(4096, "must be the service account's token"),
    certificate_fingerprint: optionalText(200, "must be the SHA-256 fingerprint shown for the controller's certificate"),
  },
  { error: "must be a JSON object with name and url" },
);

export const InspectClusterBody = t.Object(
  { url: t.String({ minLength: 1, maxLength: 2048, error: "must be the controller's address, e.g. https://orchard.example.com:6120" }) },
  { error: "must be a JSON object with url" },
);

export const CreateClusterVmBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 63, pattern: "^[A-Za-z0-9:_.-]+$", error: "must be a VM name of 1 to 63 letters, digits, ':', '-', '_' or '.'" }),
    image: t.String({ minLength: 1, maxLength: 1024, error: "must be an image, e.g. ghcr.io/cirruslabs/macos-sequoia-base:latest" }),
    cpu: bounded("cpu", " cores"),
    memory: bounded("memory", " GB"),
    disk_size: bounded("disk", " GB"),
    headless: t.Optional(t.Union([t.Boolean(), t.Null()], { error: "must be true or false" })),
    startup_script: optionalText(65536, "must be the script's text (at most 64 KiB)"),
    startup_env: stringMap("environment variables (name → value)"),
    labels: stringMap("labels (name → value) the worker must have"),
    restart_policy: t.Optional(t.Union([t.Literal("Never"), t.Literal("OnFailure"), t.Null()], { error: "must be Never or OnFailure" })),
    image_pull_policy: t.Optional(t.Union([t.Literal("IfNotPresent"), t.Literal("Always"), t.Null()], { error: "must be IfNotPresent or Always" })),
    username: optionalText(256, "must be the guest's user name"),
    password: optionalText(1024, "must be the guest's password"),
  },
  { error: "must be a JSON object with name and image" },
);
