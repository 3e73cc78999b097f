/**
 * Wire schemas and types of the host and registry routes: GET /api/host, POST /api/tart/prune,
 * POST /api/registries/login and /logout. The UI imports the types (type-only).
 */
import { Type } from "@sinclair/typebox";
import { t } from "elysia";
import { MAX_HOST_LENGTH } from "../../domain/names.ts";

export type { HostFacts } from "../../domain/host-report.ts";
export type { RegistryLogin } from "../../domain/registry-logins.ts";

/** tart takes whole numbers (UInt); the bounds keep them sane: a century, a petabyte. */
export const MAX_OLDER_THAN_DAYS = 36_500;
export const MAX_SPACE_BUDGET_GB = 1_048_576;
export const MAX_PASSWORD_LENGTH = 16_384;

export const PruneBody = t.Object(
  {
    entries: t.Union([t.Literal("caches"), t.Literal("vms")], {
      error: 'must be "caches" (tart\'s OCI and IPSW caches) or "vms" (local VMs that are not running)',
    }),
    older_than_days: t.Optional(
      t.Union([Type.Integer({ minimum: 0, maximum: MAX_OLDER_THAN_DAYS }), t.Null()], { error: `must be a whole number of days from 0 to ${MAX_OLDER_THAN_DAYS}` }),
    ),
    space_budget_gb: t.Optional(
      t.Union([Type.Integer({ minimum: 0, maximum: MAX_SPACE_BUDGET_GB }), t.Null()], { error: `must be a whole number of GB from 0 to ${MAX_SPACE_BUDGET_GB}` }),
    ),
  },
  { error: "must be a JSON object with entries, and older_than_days or space_budget_gb" },
);

const host = t.String({ minLength: 1, maxLength: MAX_HOST_LENGTH, error: "must be a registry host such as ghcr.io or registry.example.com:5000" });

export const LoginBody = t.Object(
  {
    host,
    username: t.String({
      minLength: 1,
      maxLength: 255,
      pattern: "^[\\x21-\\x7e]+$",
      error: "must be 1 to 255 printable characters without spaces, not starting with '-'",
    }),
    // Its value is never echoed: the error says what is wrong, not what was sent.
    password: t.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, error: `must be 1 to ${MAX_PASSWORD_LENGTH} characters` }),
  },
  { error: "must be a JSON object with host, username and password" },
);

export const LogoutBody = t.Object({ host }, { error: "must be a JSON object with host" });
