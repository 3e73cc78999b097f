// `taartenfabriek service install | uninstall | status` with a temp HOME and fake `systemctl` /
// `launchctl` on PATH (test/cli/fakes/) that answer as the real ones do and really run the
// service's program: so the test sees the unit or plist written, the manager's commands, and a
// server that the service started answering the CLI. The plist is checked by Python's plistlib.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, bunBinDir } from "../support/server-process.ts";
import { cli } from "./support.ts";
import { ServiceManager } from "../../src/service/service-manager.ts";
import { SERVICE_LABEL, serviceDefinition } from "../../src/service/service-definition.ts";

const FAKES = join(import.meta.dir, "fakes");
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

function world() {
  const home = mkdtempSync(join(tmpdir(), "service-home-"));
  const env = { HOME: home, PATH: `${FAKES}:${bunBinDir()}:/usr/bin:/bin` };
  // The manager commands that change something (status's is-active and print are left out).
  const argvLog = () =>
    existsSync(join(home, ".fake-service-manager", "argv.log"))
      ? readFileSync(join(home, ".fake-service-manager", "argv.log"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as string[]).filter((argv) => argv[2] !== "is-active" && argv[1] !== "print")
      : [];
  return { home, env, argvLog };
}

async function serverAddress(dataDir: string, timeoutMs = 15_000): Promise<{ url: string; pid: number }> {
  const file = join(dataDir, "server.json");
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await Bun.sleep(50)) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  }
  throw new Error(`no ${file}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("Linux: a systemd user unit", () => {
  test("install writes the unit, enables and starts it; the server it runs answers; uninstall stops it", async () => {
    const { home, env, argvLog } = world();
    // A data dir with a space, a % and a $: systemd's quoting must give the server this exact path.
    const dataDir = join(home, "my data %h $HOME");
    const run = (args: string[]) => cli(args, { env: { ...env, TARTVM_DATA_DIR: dataDir } });
    cleanups.push(() => run(["service", "uninstall"]));

    const installed = await run(["service", "install", "--port", "0"]);
    expect(installed.stderr).toBe("");
    expect(installed.code).toBe(0);
    const unitFile = join(home, ".config", "systemd", "user", "taartenfabriek.service");
    expect(installed.stdout).toContain(`installed ${unitFile} (systemd)`);
    const unit = readFileSync(unitFile, "utf8");
    expect(unit).toContain(`ExecStart="${BINARY}" "--no-open" "--port" "0" "--data-dir" "${join(home, "my data %%h $$HOME")}"`);
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("WantedBy=default.target");
    expect(argvLog()).toEqual([
      ["systemctl", "--user", "daemon-reload"],
      ["systemctl", "--user", "enable", "--now", "taartenfabriek.service"],
    ]);
    expect(readlinkSync(join(home, ".config", "systemd", "user", "default.target.wants", "taartenfabriek.service"))).toBe(unitFile);

    const first = await serverAddress(dataDir);
    expect((await run(["tasks", "--json"])).code).toBe(0);
    const status = await run(["service", "status"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("(systemd: active)");
    expect(status.stdout).toContain(`listening on ${first.url}`);
    expect(readFileSync(join(dataDir, "service.log"), "utf8")).toContain("is listening on");

    // Installing again replaces the unit and restarts the server (a new binary takes over).
    expect((await run(["service", "install", "--port", "0"])).code).toBe(0);
    expect(argvLog().slice(2)).toEqual([
      ["systemctl", "--user", "daemon-reload"],
      ["systemctl", "--user", "enable", "--now", "taartenfabriek.service"],
      ["systemctl", "--user", "restart", "taartenfabriek.service"],
    ]);
    for (let i = 0; i < 300 && (await serverAddress(dataDir)).pid === first.pid; i++) await Bun.sleep(50);
    const second = await serverAddress(dataDir);
    expect(second.pid).not.toBe(first.pid);
    expect(alive(first.pid)).toBe(false);

    const removed = await run(["service", "uninstall"]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`stopped and removed ${unitFile}`);
    expect(existsSync(unitFile)).toBe(false);
    expect(alive(second.pid)).toBe(false);
    expect(argvLog().slice(5)).toEqual([
      ["systemctl", "--user", "disable", "--now", "taartenfabriek.service"],
      ["systemctl", "--user", "daemon-reload"],
    ]);
    const after = await run(["service", "status"]);
    expect(after.code).toBe(3);
    expect(after.stdout).toContain("not installed (systemd: inactive)");
    expect((await run(["service", "uninstall"])).stdout).toContain("the service was not installed");
  }, 60_000);

  test("a failing systemctl is reported in its own words, exit 1", async () => {
    const { env } = world();
    // No systemctl at all on PATH: the message says which manager was expected.
    const result = await cli(["service", "status"], { env: { ...env, PATH: "/nonexistent" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("systemctl was not found on PATH");
  });
});

describe("macOS: a LaunchAgent", () => {
  test("the plist is a valid property list that runs the server with KeepAlive and logs in the data dir", async () => {
    const { home, env, argvLog } = world();
    const dataDir = join(home, "data & <more>");
    const manager = new ServiceManager({ platform: "darwin", home, uid: 501, env });
    const service = serviceDefinition({ dataDir, port: 0, program: [BINARY] });
    cleanups.push(async () => manager.uninstall(SERVICE_LABEL));

    const file = manager.install(service);
    expect(file).toBe(join(home, "Library", "LaunchAgents", `${SERVICE_LABEL}.plist`));
    const parsed = Bun.spawnSync(["python3", "-c", "import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],'rb'))))", file]);
    expect(parsed.stderr.toString()).toBe("");
    expect(JSON.parse(parsed.stdout.toString())).toEqual({
      Label: SERVICE_LABEL,
      ProgramArguments: [BINARY, "--no-open", "--port", "0", "--data-dir", dataDir],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: "Interactive",
      EnvironmentVariables: { PATH: "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" },
      StandardOutPath: join(dataDir, "service.log"),
      StandardErrorPath: join(dataDir, "service.log"),
    });
    expect(argvLog()).toEqual([["launchctl", "bootstrap", "gui/501", file]]);

    const first = await serverAddress(dataDir);
    const status = manager.status(SERVICE_LABEL);
    expect(status).toMatchObject({ manager: "launchd", installed: true, running: true, detail: `running (pid ${first.pid})` });

    // Again: a loaded agent is booted out before the new one is bootstrapped.
    manager.install(service);
    expect(argvLog().slice(1)).toEqual([
      ["launchctl", "bootout", `gui/501/${SERVICE_LABEL}`],
      ["launchctl", "bootstrap", "gui/501", file],
    ]);
    expect(manager.uninstall(SERVICE_LABEL)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(manager.status(SERVICE_LABEL)).toMatchObject({ installed: false, running: false, detail: "not loaded" });
    expect(alive(first.pid)).toBe(false);
  }, 60_000);
});
