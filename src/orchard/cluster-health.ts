/**
 * A cluster's health: one `GET /v1/controller/info` with the cluster's credentials (any valid
 * account may read it; a dev controller answers without any). Each result is kept a few seconds
 * and concurrent asks share one call, so listing clusters never multiplies requests. A controller
 * that refuses, hangs or cannot be reached is a state with a detail, never a thrown error.
 */
import { nowSeconds } from "../domain/task.ts";
import { OrchardFailure, type ControllerClient } from "./controller-client.ts";
import type { ClusterHealthWire } from "./cluster-wire.ts";

interface ControllerInfo {
  version?: string;
  commit?: string;
  capabilities?: string[];
}

export class ClusterHealth {
  private readonly cache = new Map<string, { at: number; health: Promise<ClusterHealthWire> }>();

  constructor(private readonly options: { ttlMs: number; timeoutMs: number }) {}

  check(client: ControllerClient): Promise<ClusterHealthWire> {
    const key = `${client.config.name}\n${client.config.url}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < this.options.ttlMs) return cached.health;
    const health = probe(client, this.options.timeoutMs);
    this.cache.set(key, { at: Date.now(), health });
    return health;
  }

  forget(name: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${name}\n`)) this.cache.delete(key);
  }
}

async function probe(client: ControllerClient, timeoutMs: number): Promise<ClusterHealthWire> {
  const base = { version: null, commit: null, capabilities: [] as string[], checked_at: nowSeconds() };
  try {
    const { body } = await client.call<ControllerInfo>("GET", "/controller/info", undefined, undefined, timeoutMs);
    return { ...base, state: "ok", reachable: true, auth_ok: true, version: body?.version ?? null, commit: body?.commit ?? null, capabilities: body?.capabilities ?? [], detail: null };
  } catch (error) {
    const failure = error instanceof OrchardFailure ? error : new OrchardFailure("unreachable", 0, String(error));
    switch (failure.kind) {
      case "timeout":
        return { ...base, state: "timeout", reachable: false, auth_ok: null, detail: `no answer within ${timeoutMs / 1000} s` };
      case "tls":
        return { ...base, state: "untrusted_certificate", reachable: true, auth_ok: null, detail: failure.reason };
      case "unreachable":
        return { ...base, state: "unreachable", reachable: false, auth_ok: null, detail: failure.reason };
    }
    if (failure.status === 401) {
      const detail = failure.reason || (client.config.serviceAccountName ? `service account ${client.config.serviceAccountName} refused (wrong name or token)` : "the controller needs a service account");
      return { ...base, state: "unauthorized", reachable: true, auth_ok: false, detail };
    }
    return { ...base, state: "error", reachable: true, auth_ok: null, detail: `the controller answered ${failure.status}${failure.reason ? `: ${failure.reason}` : ""}` };
  }
}
