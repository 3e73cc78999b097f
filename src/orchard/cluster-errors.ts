/**
 * A controller's failure as this server's error (`{"detail"}` through AppError), keeping the
 * controller's own message: its 412 validation and 400 become 422; 409, 408 ("VM is not running
 * on … worker") and 417 (terminal state) become 409; a refused account is upstream_refused; its
 * bare 404 names what was asked for; an unreachable, hung or untrusted controller is a 502/504
 * that says so — never a 500.
 */
import { AppError } from "../domain/errors.ts";
import { OrchardFailure } from "./controller-client.ts";

export function clusterError(error: unknown, cluster: string, missing?: string): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof OrchardFailure)) return new AppError("upstream_failed", `cluster ${cluster}: ${(error as Error)?.message ?? error}`);
  const said = error.reason ? `: ${error.reason}` : "";
  switch (error.kind) {
    case "timeout":
      return new AppError("timeout", `The Orchard controller of cluster ${cluster} gave no answer (${error.reason})`);
    case "tls":
      return new AppError("upstream_failed", `The Orchard controller of cluster ${cluster} presented a certificate this server does not trust${said}`);
    case "unreachable":
      return new AppError("upstream_failed", `Cannot reach the Orchard controller of cluster ${cluster}${said}`);
  }
  switch (error.status) {
    case 400:
    case 412:
      return new AppError("validation", error.reason || `The Orchard controller of cluster ${cluster} refused the request`);
    case 401:
    case 403:
      return new AppError("upstream_refused", `The Orchard controller of cluster ${cluster} refused the service account${said || " (wrong name or token)"}`);
    case 404:
      return new AppError("not_found", missing ?? `Not found on cluster ${cluster}`);
    case 408:
    case 409:
    case 417:
      return new AppError("conflict", error.reason || `The Orchard controller of cluster ${cluster} answered ${error.status}`);
    default:
      return new AppError("upstream_failed", `The Orchard controller of cluster ${cluster} answered ${error.status}${said}`);
  }
}
