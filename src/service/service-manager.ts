/**
 * `service install | uninstall | status` for the platform's own service manager: launchd on
 * macOS (launch-agent.ts), systemd's user instance elsewhere (systemd-unit.ts). The manager's
 * commands run by argv (no shell) and their failures come back as ServiceError with the
 * manager's own words. Install is idempotent: a second install replaces the file and reloads.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../storage/atomic-write.ts";
import { findOnPath } from "../adapters/tart/locate-tart.ts";
import { layoutOf, prepareDataDir } from "../storage/data-dir.ts";
import { launchAgentPath, renderLaunchAgent } from "./launch-agent.ts";
import type { ServiceDefinition } from "./service-definition.ts";
import { renderSystemdUnit, SYSTEMD_UNIT, systemdUnitPath } from "./systemd-unit.ts";

export class ServiceError extends Error {}

export interface ServiceStatus {
  manager: "launchd" | "systemd";
  file: string;
  installed: boolean;
  running: boolean;
  /** The manager's own words about the service (launchctl print's state, systemctl is-active). */
  detail: string;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ServiceEnvironment {
  platform: NodeJS.Platform;
  home: string;
  uid: number;
  env: Record<string, string | undefined>;
}

export class ServiceManager {
  constructor(private readonly where: ServiceEnvironment) {}

  get manager(): "launchd" | "systemd" {
    return this.where.platform === "darwin" ? "launchd" : "systemd";
  }

  fileOf(label: string): string {
    return this.manager === "launchd" ? launchAgentPath(this.where.home, label) : systemdUnitPath(this.where.home, this.where.env);
  }

  /** Writes the file and has the manager start it now and at every login; returns the file. */
  install(service: ServiceDefinition): string {
    const file = this.fileOf(service.label);
    const existed = existsSync(file);
    mkdirSync(dirname(file), { recursive: true });
    // Neither launchd nor systemd makes the folder of the log file: the service would not start.
    prepareDataDir(layoutOf(service.dataDir));
    if (this.manager === "launchd") {
      writeFileAtomic(file, renderLaunchAgent(service), 0o644);
      // A loaded agent must be booted out first: bootstrap refuses one that is loaded (error 5).
      if (existed) this.run("launchctl", ["bootout", this.domain(service.label)], [0, 3]);
      this.run("launchctl", ["bootstrap", `gui/${this.where.uid}`, file]);
    } else {
      writeFileAtomic(file, renderSystemdUnit(service), 0o644);
      this.run("systemctl", ["--user", "daemon-reload"]);
      this.run("systemctl", ["--user", "enable", "--now", SYSTEMD_UNIT]);
      // enable --now leaves a running server alone: a reinstall (a new binary) restarts it.
      if (existed) this.run("systemctl", ["--user", "restart", SYSTEMD_UNIT]);
    }
    return file;
  }

  /** Stops the service and removes its file; false when it was not installed. */
  uninstall(label: string): boolean {
    const file = this.fileOf(label);
    if (!existsSync(file)) return false;
    if (this.manager === "launchd") {
      this.run("launchctl", ["bootout", this.domain(label)], [0, 3]); // 3: not loaded, already stopped
    } else {
      this.run("systemctl", ["--user", "disable", "--now", SYSTEMD_UNIT]);
    }
    rmSync(file, { force: true });
    if (this.manager === "systemd") this.run("systemctl", ["--user", "daemon-reload"]);
    return true;
  }

  status(label: string): ServiceStatus {
    const file = this.fileOf(label);
    const installed = existsSync(file);
    if (this.manager === "launchd") {
      const printed = this.run("launchctl", ["print", this.domain(label)], null);
      if (printed.code !== 0) return { manager: "launchd", file, installed, running: false, detail: "not loaded" };
      const state = /^\s*state = (.+)$/m.exec(printed.stdout)?.[1]?.trim() ?? "loaded";
      const pid = /^\s*pid = (\d+)$/m.exec(printed.stdout)?.[1];
      return { manager: "launchd", file, installed, running: state === "running", detail: pid ? `${state} (pid ${pid})` : state };
    }
    const active = this.run("systemctl", ["--user", "is-active", SYSTEMD_UNIT], null);
    const state = active.stdout.trim() || active.stderr.trim() || "unknown";
    return { manager: "systemd", file, installed, running: active.code === 0 && state === "active", detail: state };
  }

  private domain(label: string): string {
    return `gui/${this.where.uid}/${label}`;
  }

  /** Runs a manager command; an exit code outside `accept` (null: any) is a ServiceError. */
  private run(program: string, args: string[], accept: number[] | null = [0]): Ran {
    const executable = findOnPath(program, this.where.env.PATH);
    if (!executable) throw new ServiceError(`${program} was not found on PATH: is ${this.manager} this system's service manager?`);
    let result;
    try {
      result = Bun.spawnSync([executable, ...args], { env: this.where.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    } catch (error) {
      throw new ServiceError(`${program} could not be run (${(error as Error).message}): is ${this.manager} this system's service manager?`);
    }
    const ran = { code: result.exitCode ?? 1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
    if (accept && !accept.includes(ran.code)) {
      const said = (ran.stderr.trim() || ran.stdout.trim()).split("\n")[0] || `exit code ${ran.code}`;
      throw new ServiceError(`${program} ${args.join(" ")} failed: ${said}`);
    }
    return ran;
  }
}
