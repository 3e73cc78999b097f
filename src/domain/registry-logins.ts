/**
 * Logging in to private registries: `tart login HOST --username U --password-stdin` with the
 * password written to tart's standard input, and `tart logout HOST`. Each is a task (registry_login,
 * registry_logout) locked per host, so a login and a logout of one host never cross. The password
 * lives only in the request and in the bytes handed to tart: not in argv, not in the task's params
 * or log, not in any file of the data dir. A login cannot be retried for that reason (nothing to
 * retry it with); a logout can. The hosts this server logged in to are kept, without secrets, so
 * they can be listed and logged out of (tart itself keeps the credentials in the Keychain).
 */
import { conflict, invalid } from "./errors.ts";
import { checkRegistryHost } from "./names.ts";
import type { TartPort } from "./ports.ts";
import type { Task } from "./task.ts";
import { launchTask, type LaunchDeps } from "./task-launcher.ts";
import { nowSeconds } from "./task.ts";

export interface RegistryLogin {
  host: string;
  username: string;
  /** Unix seconds. */
  logged_in_at: number;
}

export interface RegistryLoginStore {
  load(): RegistryLogin[];
  save(registries: RegistryLogin[]): void;
}

export interface LoginRequest {
  host: string;
  username: string;
  password: string;
}

/** A lock name per host that no VM name or OCI reference can be (a space is in neither). */
const hostLock = (host: string) => ({ name: `registry ${host.toLowerCase()}`, mode: "exclusive" as const });

export class RegistryLogins {
  private logins: RegistryLogin[];

  constructor(
    private readonly deps: LaunchDeps & { tart: TartPort; store: RegistryLoginStore; requireTart: () => void },
  ) {
    this.logins = deps.store.load();
  }

  list(): RegistryLogin[] {
    return [...this.logins].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }

  login(request: LoginRequest): Task {
    const host = checkRegistryHost(request.host);
    const { username, password } = request;
    checkUsername(username);
    if (typeof password !== "string" || password.length === 0) throw invalid("password: must not be empty");
    this.deps.requireTart();
    return launchTask(this.deps, {
      action: "registry_login",
      subject: host,
      params: { host, username }, // never the password: a task's params are stored
      locks: [hostLock(host)],
      work: async (ctx) => {
        await this.deps.tart.login(host, username, password, ctx.observer());
        this.remember({ host, username, logged_in_at: nowSeconds() });
        return { message: `Logged in to ${host} as ${username}`, host, username };
      },
    });
  }

  logout(rawHost: string): Task {
    const host = checkRegistryHost(rawHost);
    this.deps.requireTart();
    return launchTask(this.deps, {
      action: "registry_logout",
      subject: host,
      params: { host },
      locks: [hostLock(host)],
      work: async (ctx) => {
        await this.deps.tart.logout(host, ctx.observer());
        this.forget(host);
        return { message: `Logged out of ${host}`, host };
      },
    });
  }

  /** The retry of a failed login: refused, since its password was never kept. */
  refuseRetry(task: Task): never {
    throw conflict(`Task ${task.id} is a registry login; its password was not kept, so it cannot be retried: log in again`);
  }

  private remember(login: RegistryLogin): void {
    this.logins = [...this.logins.filter((l) => l.host.toLowerCase() !== login.host.toLowerCase()), login];
    this.deps.store.save(this.logins);
  }

  private forget(host: string): void {
    const rest = this.logins.filter((l) => l.host.toLowerCase() !== host.toLowerCase());
    if (rest.length === this.logins.length) return;
    this.logins = rest;
    this.deps.store.save(this.logins);
  }
}

/** What tart takes as `--username`: printable, no spaces, and not a flag (a leading `-`). */
export const USERNAME = /^[\x21-\x7e]{1,255}$/;

function checkUsername(username: string): void {
  if (typeof username !== "string" || !USERNAME.test(username) || username.startsWith("-")) {
    throw invalid("username: must be 1 to 255 printable characters without spaces, not starting with '-'");
  }
}
