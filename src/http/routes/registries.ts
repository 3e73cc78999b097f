/**
 * Private registries: GET /api/registries lists the hosts this server logged in to (no secrets);
 * POST /api/registries/login and /logout run `tart login` / `tart logout` as tasks
 * (domain/registry-logins.ts). The password is handed straight to the domain and from there to
 * tart's standard input: nothing here logs or keeps it.
 */
import { Elysia } from "elysia";
import type { RegistryLogins } from "../../domain/registry-logins.ts";
import { toWire } from "../../domain/task.ts";
import { LoginBody, LogoutBody } from "../models/host.ts";

export function registryRoutes(deps: { registries: RegistryLogins }) {
  return new Elysia({ name: "registries" })
    .get("/api/registries", () => ({ registries: deps.registries.list() }))
    .post("/api/registries/login", ({ body }) => toWire(deps.registries.login(body)), { body: LoginBody })
    .post("/api/registries/logout", ({ body }) => toWire(deps.registries.logout(body.host)), { body: LogoutBody });
}
