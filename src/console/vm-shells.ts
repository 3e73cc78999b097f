/**
 * The browser shell: `tart exec -i -t NAME <shell>` in a pseudo-terminal of ours (Bun.spawn's
 * `terminal`), so the terminal size the page sends reaches tart as a real window-size change,
 * which tart passes on to the guest's PTY. A ticket is given only for a running VM whose guest
 * agent answers (`tart exec NAME true`); without an agent the 409 says so and names the `ssh`
 * command to use instead.
 */
import { AppError, notFound, requireTart } from "../domain/errors.ts";
import type { Vm } from "../domain/vm.ts";
import { execArgs } from "../adapters/tart/tart-argv.ts";
import { runProcess } from "../adapters/tart/run-process.ts";
import type { ConsoleTickets } from "./console-tickets.ts";
import type { ShellSource, TerminalSize } from "../ws/shell-stream.ts";

const PROBE_TIMEOUT_MS = 15_000;
/** Cirrus Labs images log in as admin; a Linux guest's user is whoever made it. */
const SSH_USER = "admin";

export interface ShellTicket {
  ticket: string;
  ws_url: string;
  expires_in: number;
  shell: string;
}

export interface ShellProcess {
  write(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  kill(): void;
  /** The exit code; rejects (an UpstreamRefused, its close code) when the shell was lost without one. */
  exited: Promise<number>;
}

export class VmShells implements ShellSource<{ name: string }> {
  readonly path = "/api/vms/:name/shell/ws";

  constructor(
    private readonly o: {
      tickets: ConsoleTickets;
      find: (name: string) => Vm | null;
      tartPath: () => string | null;
      env: Record<string, string | undefined>;
    },
  ) {}

  async ticket(name: string): Promise<ShellTicket> {
    const vm = this.running(name);
    const tart = this.tart();
    const probe = await runProcess([tart, ...execArgs(vm.name, ["true"], false)], { timeoutMs: PROBE_TIMEOUT_MS, env: this.o.env });
    if (probe.exitCode !== 0) {
      const said = (probe.stderr.trim().split("\n")[0] ?? "").slice(0, 300) || (probe.timedOut ? "no answer" : `exit ${probe.exitCode}`);
      const ssh = vm.ip_address ? `ssh ${SSH_USER}@${vm.ip_address}` : "ssh (once the VM has an IP address)";
      const why = /guest agent/i.test(said) ? "its Tart guest agent does not answer" : "tart exec failed";
      throw new AppError("conflict", `No shell for ${vm.name}: ${why} (${said}). Connect with ${ssh} instead`);
    }
    const ticket = this.o.tickets.issue(vm.name, "shell");
    return {
      ticket,
      ws_url: `/api/vms/${encodeURIComponent(vm.name)}/shell/ws?ticket=${ticket}`,
      expires_in: this.o.tickets.ttlSeconds,
      shell: shellOf(vm),
    };
  }

  redeem(params: { name: string }, ticket: string | null): boolean {
    return this.o.tickets.redeem(ticket, params.name, "shell");
  }

  /** Starts the guest's shell in a terminal of `cols`×`rows`; its output goes to `data`. */
  spawn(params: { name: string }, size: TerminalSize, data: (bytes: Uint8Array) => void): ShellProcess {
    const vm = this.running(params.name);
    const proc = Bun.spawn([this.tart(), ...execArgs(vm.name, [shellOf(vm)])], {
      env: { ...this.o.env, TERM: "xterm-256color" },
      terminal: { cols: size.cols, rows: size.rows, name: "xterm-256color", data: (_terminal, bytes) => data(bytes) },
    });
    const terminal = proc.terminal!;
    return {
      write: (bytes) => void terminal.write(bytes),
      resize: (cols, rows) => terminal.resize(cols, rows),
      kill: () => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGHUP");
        terminal.close();
      },
      exited: proc.exited,
    };
  }

  private running(name: string): Vm {
    const vm = this.o.find(name);
    if (!vm) throw notFound(`VM ${name} not found`);
    if (vm.status !== "running") throw new AppError("conflict", `VM ${vm.name} is not running: start it first`);
    return vm;
  }

  private tart(): string {
    const path = this.o.tartPath();
    if (!path) requireTart({ path: null });
    return path!;
  }
}

/** The guest's login shell: zsh on macOS, bash on Linux. */
const shellOf = (vm: Vm) => (vm.os === "linux" ? "/bin/bash" : "/bin/zsh");
