/**
 * The API client: one function per route, all going through `request`, which adds the token
 * header, sends JSON bodies, and turns every non-2xx answer into an `ApiError` carrying the
 * status and the server's `detail`. Nothing is swallowed — callers decide what to show — and a
 * network failure becomes status 0 so the app can tell "server gone" from "server said no".
 * The client is built by a factory from its token and fetch so tests pass fakes.
 */
import type {
  AddClusterRequest,
  Cluster,
  ClusterInspect,
  ClusterVm,
  ClusterWorker,
  CreateClusterVmRequest,
  CreateVmRequest,
  GithubTokenStatus,
  Health,
  HostFacts,
  PruneRequest,
  RegistryLogin,
  RepositoriesSetting,
  RunOptionsInput,
  RunOptionsView,
  ScratchCreateRequest,
  Task,
  TaskPage,
  Vm,
  VmCategories,
  VmConfig,
  VmImage,
  VmSettingsRequest,
} from "./types.ts";
import type { ConsoleTicket } from "../../../src/console/vm-consoles.ts";
import type { ShellTicket } from "../../../src/console/vm-shells.ts";

type Method = "GET" | "POST" | "PUT" | "DELETE";

/** The answers of POST /api/vms/{name}/console and …/shell: the server's own types. */
export type { ConsoleTicket, ShellTicket };

export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  constructor(status: number, detail: string) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
  }
}

/** Status 0 means the request never got an HTTP answer (server down, network error). */
export const isUnreachable = (err: unknown): boolean => err instanceof ApiError && err.status === 0;
export const isUnauthorized = (err: unknown): boolean => err instanceof ApiError && err.status === 401;

/** The text to show for any error thrown by the client or elsewhere. */
export function errorDetail(err: unknown): string {
  if (err instanceof ApiError) return err.detail;
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Extracts the human message from an error body. The API's contract is `{"detail": string}`;
 * a FastAPI-style list of `{loc, msg}` is tolerated so a validation failure still reads well.
 */
export function detailFromBody(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown };
    const detail = parsed?.detail;
    if (typeof detail === "string" && detail) return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((d: { loc?: unknown[]; msg?: string }) =>
          [Array.isArray(d.loc) ? d.loc.filter((p) => p !== "body").join(".") : "", d.msg ?? ""]
            .filter(Boolean)
            .join(": "),
        )
        .join("; ");
    }
  } catch {
    // Not JSON: fall through to the raw text (a proxy page, a crash) or the status alone.
  }
  const text = body.trim();
  return text && text.length < 300 ? text : `Request failed with HTTP ${status}`;
}

/** Names such as `ghcr.io/org/img:tag` contain `/` and `:`, so every path segment is encoded. */
export const vmPath = (name: string): string => `/api/vms/${encodeURIComponent(name)}`;
export const clusterPath = (name: string): string => `/api/clusters/${encodeURIComponent(name)}`;

export interface ApiClientOptions {
  token: string;
  fetch?: typeof fetch;
  baseUrl?: string;
}

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl ?? "";

  async function send(method: Method, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { ...extra, "X-Local-Token": options.token };
    if (method === "POST" || method === "PUT") headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await doFetch(base + path, {
        method,
        headers,
        body: method === "POST" || method === "PUT" ? JSON.stringify(body ?? {}) : undefined,
        cache: "no-store",
      });
    } catch (err) {
      throw new ApiError(0, `Cannot reach the taartenfabriek server (${errorDetail(err)})`);
    }
    if (res.status === 304 && extra["If-None-Match"]) return res; // the caller asked: changed since?
    if (!res.ok) throw new ApiError(res.status, detailFromBody(res.status, await res.text()));
    return res;
  }

  async function json<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return parse<T>(await send(method, path, body), path);
  }

  async function parse<T>(res: Response, path: string): Promise<T> {
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError(res.status, `The server sent an unreadable answer for ${path}`);
    }
  }

  /** GET `path` unless it still has `etag` (then null: a 304, no bytes and no parse). */
  async function ifChanged<T>(path: string, etag: string | null): Promise<{ value: T; etag: string | null } | null> {
    const res = await send("GET", path, undefined, etag ? { "If-None-Match": etag } : {});
    if (res.status === 304) return null;
    return { value: await parse<T>(res, path), etag: res.headers.get("etag") };
  }

  return {
    token: options.token,
    health: () => json<Health>("GET", "/api/health"),
    listVms: () => json<Vm[]>("GET", "/api/vms"),
    /**
     * The list unless it still has the ETag the caller last saw, in which case null: the server
     * answers 304 and neither the bytes nor the parse are spent on a list nobody changed.
     */
    async listVmsIfChanged(etag: string | null): Promise<{ vms: Vm[]; etag: string | null } | null> {
      const answer = await ifChanged<Vm[]>("/api/vms", etag);
      return answer && { vms: answer.value, etag: answer.etag };
    },
    categorizedVms: () => json<VmCategories>("GET", "/api/vms/categorized"),
    refreshVms: () => json<Vm[]>("POST", "/api/vms/refresh"),
    getVm: (name: string) => json<Vm>("GET", vmPath(name)),
    vmConfig: (name: string, forceRefresh = false) =>
      json<VmConfig>("GET", `${vmPath(name)}/config${forceRefresh ? "?force_refresh=true" : ""}`),
    /** `suspendable`: start so that the VM can be suspended later (macOS guests only). */
    startVm: (name: string, suspendable = false, withConsole = false) =>
      json<Task>("POST", `${vmPath(name)}/start`, { ...(suspendable ? { suspendable: true } : {}), ...(withConsole ? { console: true } : {}) }),
    /** One-time tickets for the console and shell websockets (a 409's detail says why there is none). */
    consoleTicket: (name: string) => json<ConsoleTicket>("POST", `${vmPath(name)}/console`),
    shellTicket: (name: string) => json<ShellTicket>("POST", `${vmPath(name)}/shell`),
    rememberScreenSharingLogin: (name: string, login: { username: string; password: string }) =>
      json<{ remembered: boolean }>("PUT", `${vmPath(name)}/console/credentials`, login),
    forgetScreenSharingLogin: (name: string) => json<{ remembered: boolean }>("DELETE", `${vmPath(name)}/console/credentials`),
    /** `force`: stop at once (`tart stop --timeout 0`, then kill the run if it hangs). */
    stopVm: (name: string, force = false) => json<Task>("POST", `${vmPath(name)}/stop`, force ? { force: true } : {}),
    suspendVm: (name: string) => json<Task>("POST", `${vmPath(name)}/suspend`),
    renameVm: (name: string, newName: string) => json<Task>("POST", `${vmPath(name)}/rename`, { new_name: newName }),
    changeVmSettings: (name: string, settings: VmSettingsRequest) => json<Task>("POST", `${vmPath(name)}/settings`, settings),
    deleteVm: (name: string) => json<Task>("POST", `${vmPath(name)}/delete`),
    cloneVm: (name: string, newName: string, startAfterClone: boolean) =>
      json<Task>("POST", `${vmPath(name)}/clone`, { new_name: newName, start_after_clone: startAfterClone }),
    createVm: (req: CreateVmRequest) => json<Task>("POST", "/api/vms/create", req),
    /** A VM from scratch: macOS from an IPSW (`from_ipsw`) or an empty Linux VM (`linux`). */
    createVmFromScratch: (req: ScratchCreateRequest) => json<Task>("POST", "/api/vms/create", req),
    /** The run options kept for a VM, with the `tart run` line and the guest's mount hints. */
    runOptions: (name: string) => json<RunOptionsView>("GET", `${vmPath(name)}/run-options`),
    saveRunOptions: (name: string, options: RunOptionsInput) => json<RunOptionsView>("PUT", `${vmPath(name)}/run-options`, options),
    /** `force`: pull even when the server finds the image too big for the free space (its 507). */
    pullImage: (ociUrl: string, force = false) => json<Task>("POST", "/api/vms/pull", force ? { oci_url: ociUrl, force: true } : { oci_url: ociUrl }),
    availableImages: () => json<VmImage[]>("GET", "/api/vms/available-images"),
    activeTasks: () => json<Task[]>("GET", "/api/tasks/active"),
    getTask: (id: string) => json<Task>("GET", `/api/tasks/${encodeURIComponent(id)}`),
    taskHistory: (limit = 50, before?: number | null) =>
      json<TaskPage>(
        "GET",
        `/api/tasks?limit=${limit}${before != null ? `&before=${encodeURIComponent(String(before))}` : ""}`,
      ),
    taskLog: async (id: string) => (await send("GET", `/api/tasks/${encodeURIComponent(id)}/log`)).text(),
    retryTask: (id: string) => json<Task>("POST", `/api/tasks/${encodeURIComponent(id)}/retry`),
    /** Stops a pull, clone or create; answers once the task has ended, with what was left behind. */
    cancelTask: (id: string) => json<Task>("POST", `/api/tasks/${encodeURIComponent(id)}/cancel`),
    githubToken: () => json<GithubTokenStatus>("GET", "/api/settings/github-token"),
    setGithubToken: (token: string) => json<unknown>("POST", "/api/settings/github-token", { token }),
    repositories: () => json<RepositoriesSetting>("GET", "/api/settings/repositories"),
    setRepositories: (repositories: string[]) => json<RepositoriesSetting>("POST", "/api/settings/repositories", { repositories }),
    tartVersion: () => json<{ version: string }>("GET", "/api/tart/version"),
    // The host, tart's housekeeping and registry accounts (issue 13).
    host: () => json<HostFacts>("GET", "/api/host"),
    prune: (request: PruneRequest) => json<Task>("POST", "/api/tart/prune", request),
    registries: () => json<{ registries: RegistryLogin[] }>("GET", "/api/registries"),
    registryLogin: (host: string, username: string, password: string) => json<Task>("POST", "/api/registries/login", { host, username, password }),
    registryLogout: (host: string) => json<Task>("POST", "/api/registries/logout", { host }),
    // Orchard clusters (docs/API.md "Clusters").
    clusters: () => json<{ clusters: Cluster[] }>("GET", "/api/clusters"),
    inspectCluster: (url: string) => json<ClusterInspect>("POST", "/api/clusters/inspect", { url }),
    addCluster: (request: AddClusterRequest) => json<Cluster>("POST", "/api/clusters", request),
    removeCluster: (name: string) => json<{ removed: string }>("DELETE", clusterPath(name)),
    clusterWorkers: (name: string) => json<{ workers: ClusterWorker[] }>("GET", `${clusterPath(name)}/workers`),
    pauseWorker: (cluster: string, worker: string, paused: boolean) =>
      json<ClusterWorker>("POST", `${clusterPath(cluster)}/workers/${encodeURIComponent(worker)}/${paused ? "pause" : "resume"}`),
    clusterVms: (name: string) => json<{ vms: ClusterVm[] }>("GET", `${clusterPath(name)}/vms`),
    /** A cluster's VMs unless they still have `etag` (null): 2,000 VMs are a megabyte per poll otherwise. */
    async clusterVmsIfChanged(name: string, etag: string | null): Promise<{ vms: ClusterVm[]; etag: string | null } | null> {
      const answer = await ifChanged<{ vms: ClusterVm[] }>(`${clusterPath(name)}/vms`, etag);
      return answer && { vms: answer.value.vms, etag: answer.etag };
    },
    createClusterVm: (cluster: string, request: CreateClusterVmRequest) => json<Task>("POST", `${clusterPath(cluster)}/vms`, request),
    stopClusterVm: (cluster: string, name: string) => json<Task>("POST", `${clusterPath(cluster)}/vms/${encodeURIComponent(name)}/stop`),
    deleteClusterVm: (cluster: string, name: string) => json<Task>("DELETE", `${clusterPath(cluster)}/vms/${encodeURIComponent(name)}`),
    clusterConsoleTicket: (cluster: string, name: string) => json<ConsoleTicket>("POST", `${clusterPath(cluster)}/vms/${encodeURIComponent(name)}/console`),
    clusterShellTicket: (cluster: string, name: string) => json<ShellTicket>("POST", `${clusterPath(cluster)}/vms/${encodeURIComponent(name)}/shell`),
    autostart: () => json<{ vms: string[] }>("GET", "/api/autostart"),
    setAutostart: (name: string, enabled: boolean) => json<{ vms: string[] }>("POST", "/api/autostart", { name, enabled }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** ws(s)://host/ws/tasks/{id}?token=…&mode=delta, on the page's own origin. */
export function taskSocketUrl(origin: string, taskId: string, token: string): string {
  const url = new URL(`/ws/tasks/${encodeURIComponent(taskId)}`, origin);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("token", token);
  url.searchParams.set("mode", "delta");
  return url.toString();
}
