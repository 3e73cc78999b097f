/**
 * A real VNC server for tests and the fake tart: TigerVNC's Xtigervnc, one process that is both
 * an X display and an RFB server with VNC password auth, as Apple's `_VZVNCServer` is for
 * `tart run --vnc-experimental` (and as a macOS guest's Screen Sharing is on <guest-ip>:5900).
 * TigerVNC truncates the password to 8 characters as Apple's server does. Each server gets a
 * fresh display number and port and is stopped by its pid.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface VncServer {
  display: string;
  port: number;
  host: string;
  pid: number;
  proc: Bun.Subprocess;
  stop(): void;
}

export interface VncServerOptions {
  password: string;
  /** The address to listen on: 127.0.0.1 (loopback only) or a fake guest's IP. */
  host?: string;
  /** A fixed port (Screen Sharing's 5900); otherwise a free one. */
  port?: number;
  width?: number;
  height?: number;
}

/** `tigervncpasswd -f`: the password, DES-obfuscated, as the server reads it. */
async function passwordFile(dir: string, password: string): Promise<string> {
  const proc = Bun.spawn(["tigervncpasswd", "-f"], { stdin: new TextEncoder().encode(password + "\n"), stdout: "pipe", stderr: "pipe" });
  const bytes = new Uint8Array(await new Response(proc.stdout).arrayBuffer());
  if ((await proc.exited) !== 0) throw new Error(`tigervncpasswd failed: ${await new Response(proc.stderr).text()}`);
  const path = join(dir, "passwd");
  writeFileSync(path, bytes, { mode: 0o600 });
  return path;
}

function freeDisplay(): number {
  for (let tries = 0; tries < 200; tries++) {
    const n = 100 + Math.floor(Math.random() * 800);
    if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) return n;
  }
  throw new Error("no free X display number");
}

async function freePort(host: string): Promise<number> {
  const probe = Bun.listen({ hostname: host, port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

async function waitForPort(host: string, port: number, proc: Bun.Subprocess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`Xtigervnc exited with ${proc.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      Bun.connect({ hostname: host, port, socket: { open(s) { s.end(); resolve(true); }, data() {}, connectError() { resolve(false); }, error() { resolve(false); } } }).catch(() => resolve(false));
    });
    if (ok) return;
    await Bun.sleep(50);
  }
  throw new Error(`Xtigervnc did not listen on ${host}:${port}`);
}

export async function startVncServer(options: VncServerOptions): Promise<VncServer> {
  const host = options.host ?? "127.0.0.1";
  const dir = mkdtempSync(join(tmpdir(), "vnc-"));
  const passwd = await passwordFile(dir, options.password);
  for (let attempt = 0; ; attempt++) {
    const n = freeDisplay();
    const port = options.port ?? (await freePort(host));
    const where = host === "127.0.0.1" ? ["-localhost"] : ["-interface", host];
    const proc = Bun.spawn(
      ["Xtigervnc", `:${n}`, "-rfbport", String(port), ...where, "-SecurityTypes", "VncAuth", "-PasswordFile", passwd,
        "-geometry", `${options.width ?? 1024}x${options.height ?? 768}`, "-depth", "24", "-AlwaysShared", "-nolisten", "tcp"],
      { stdin: "ignore", stdout: "ignore", stderr: "ignore" },
    );
    try {
      await waitForPort(host, port, proc, 10_000);
    } catch (error) {
      proc.kill("SIGKILL");
      if (attempt < 3) continue; // a display or port taken in the meantime
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      display: `:${n}`,
      port,
      host,
      pid: proc.pid,
      proc,
      stop() {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** `DISPLAY=… xsetroot -solid COLOUR`: a known picture on the whole screen. */
export async function setRootColour(display: string, colour: string): Promise<void> {
  const proc = Bun.spawn(["xsetroot", "-solid", colour], { env: { ...process.env, DISPLAY: display }, stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`xsetroot failed: ${await new Response(proc.stderr).text()}`);
}
