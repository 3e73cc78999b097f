// Checks the fake `tart` against the real CLI's documented behaviour by running it as a subprocess, exactly as
// the app does: formats, stderr texts, exit codes, the run/stop/ip lifecycle, pull progress
// and the knobs. Every test gets its own TART_HOME; delays are shortened through knobs.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedTartHome } from "./support/fake-tart/seed.ts";
import { bunBinDir } from "./support/server-process.ts";

const TART = join(import.meta.dir, "support/fake-tart/tart");
const PATH = `${bunBinDir()}:${process.env.PATH}`; // npm's bun is named bun.exe: give it its name
const FAST = { boot_ms: 150, ip_fail_ms: 50, pull_interval_ms: 20, pull_steps: 4 };
const homes: string[] = [];

afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

function newHome(knobs: object = FAST): string {
  const home = mkdtempSync(join(tmpdir(), "fake-tart-"));
  homes.push(home);
  writeFileSync(join(home, "fake-tart.json"), JSON.stringify(knobs));
  return home;
}

function envFor(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH, HOME: home, TART_HOME: home, ...extra };
  if (!("CI" in extra)) delete env.CI;
  return env;
}

function tart(home: string, args: string[], extra: Record<string, string> = {}) {
  const p = Bun.spawnSync([TART, ...args], { env: envFor(home, extra), stdout: "pipe", stderr: "pipe" });
  return { out: p.stdout.toString(), err: p.stderr.toString(), code: p.exitCode, signal: p.signalCode };
}

/** A `tart run` in the background, with its stdout collected line by line. */
function startRun(home: string, args: string[], extra: Record<string, string> = {}) {
  const proc = Bun.spawn([TART, "run", ...args], { env: envFor(home, extra), stdout: "pipe", stderr: "pipe" });
  let out = "";
  const reading = (async () => {
    for await (const chunk of proc.stdout as unknown as AsyncIterable<Uint8Array>) out += Buffer.from(chunk).toString();
  })();
  return {
    proc,
    out: () => out,
    async waitFor(text: string, ms = 3000) {
      const end = Date.now() + ms;
      while (!out.includes(text)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(out)}`);
        await Bun.sleep(10);
      }
    },
    async done() {
      await proc.exited;
      await reading;
      return { code: proc.exitCode, signal: proc.signalCode, out, err: await new Response(proc.stderr).text() };
    },
  };
}

async function until(fn: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(10);
  }
}

/** The run mark appears once `tart run` holds the VM (a file check: no spawn, so no race with boot). */
const waitRunning = (home: string, name: string) => until(() => existsSync(join(home, "vms", name, "fake-run.json")));

const usage = (syn: string, cmd: string) => `Usage: tart ${syn}\n  See 'tart ${cmd} --help' for more information.\n`;

describe("basics", () => {
  test("--version, also after a subcommand, and the version knob", () => {
    const home = newHome();
    expect(tart(home, ["--version"])).toMatchObject({ out: "2.32.1\n", code: 0 });
    expect(tart(home, ["list", "--version"]).out).toBe("2.32.1\n");
    writeFileSync(join(home, "fake-tart.json"), JSON.stringify({ version: "SNAPSHOT" }));
    expect(tart(home, ["--version"]).out).toBe("SNAPSHOT\n");
  });

  test("empty list: a blank line as text, [ blank line ] as JSON, nothing with -q", () => {
    const home = newHome();
    expect(tart(home, ["list"])).toMatchObject({ out: "\n", err: "", code: 0 });
    expect(tart(home, ["list", "--format", "json"]).out).toBe("[\n\n]\n");
    expect(tart(home, ["list", "-q"]).out).toBe("");
  });

  test("TART_HOME is created when missing", () => {
    const home = join(newHome(), "a", "b");
    expect(tart(home, ["list"]).code).toBe(0);
    expect(existsSync(home)).toBe(true);
  });
});

describe("parse errors (spec §1.3)", () => {
  const home = newHome();
  const cases: [string[], string][] = [
    [["get"], `Error: Missing expected argument '<name>'\nHelp:  <name>  VM name.\n${usage("get <name> [--format <format>]", "get")}`],
    [["list", "--fromat", "json"], `Error: Unknown option '--fromat'. Did you mean '--format'?\n${usage("list [--source <source>] [--format <format>] [--quiet]", "list")}`],
    [
      ["list", "--format", "xml"],
      `Error: The value 'xml' is invalid for '--format <format>'. Please provide one of 'text' and 'json'.\nHelp:  --format <format>  Output format: text or json\n${usage("list [--source <source>] [--format <format>] [--quiet]", "list")}`,
    ],
    [["ip", "vm", "--wait"], `Error: Missing value for '--wait <wait>'\nHelp:  --wait <wait>  Number of seconds to wait for a potential VM booting\n${usage("ip <name> [--wait <wait>] [--resolver <resolver>]", "ip")}`],
    [["ip", "vm", "--wait", "-1"], `Error: Missing value for '--wait <wait>'\nHelp:  --wait <wait>  Number of seconds to wait for a potential VM booting\n${usage("ip <name> [--wait <wait>] [--resolver <resolver>]", "ip")}`],
    [["ip", "vm", "--wait", "70000"], `Error: The value '70000' is invalid for '--wait <wait>'\nHelp:  --wait <wait>  Number of seconds to wait for a potential VM booting\n${usage("ip <name> [--wait <wait>] [--resolver <resolver>]", "ip")}`],
    [["get", "a", "b"], `Error: Unexpected argument 'b'\n${usage("get <name> [--format <format>]", "get")}`],
    [["frobnicate"], "Error: Unexpected argument 'frobnicate'\nUsage: tart <subcommand>\n  See 'tart --help' for more information.\n"],
    [["list", "--quiet=yes"], `Error: The option '--quiet' does not take any value, but 'yes' was specified.\n${usage("list [--source <source>] [--format <format>] [--quiet]", "list")}`],
    [["delete"], `Error: Missing expected argument '<name> ...'\nHelp:  <name>  VM name\n${usage("delete <name> ...", "delete")}`],
    [["get", "-foo"], `Error: Missing expected argument '<name>'\nHelp:  <name>  VM name.\n${usage("get <name> [--format <format>]", "get")}`],
    [["list", "--source", "OCI"], `Error: 'OCI' is not a valid <source>\n${usage("list [--source <source>] [--format <format>] [--quiet]", "list")}`],
    [["create", "x"], `Error: Please specify either a --from-ipsw or --linux option!\n${usage("create <name> [--from-ipsw <path>] [--linux] [--disk-size <disk-size>] [--disk-format <disk-format>]", "create")}`],
    [["pull", "ghcr.io/a/b", "--concurrency", "0"], `Error: network concurrency cannot be less than 1\n${usage("pull <remote-name> [--insecure] [--concurrency <concurrency>]", "pull")}`],
    [["run", "--vnc", "--vnc-experimental", "x"], `Error: --vnc and --vnc-experimental are mutually exclusive\n${usage("run [<options>] <name>", "run")}`],
  ];
  for (const [args, stderr] of cases)
    test(`tart ${args.join(" ")}`, () => {
      expect(tart(home, args)).toMatchObject({ out: "", err: stderr, code: 64 });
    });

  test("--help prints to stdout, exit 0; a name after -- is not an option", () => {
    expect(tart(home, ["get", "--help"])).toMatchObject({ code: 0, err: "" });
    expect(tart(home, ["get", "--help"]).out).toContain("USAGE: tart get <name> [--format <format>]");
    expect(tart(home, ["get", "--", "-foo"])).toMatchObject({ err: 'the specified VM "-foo" does not exist\n', code: 2 });
  });
});

describe("list and get formats", () => {
  test("text tables pad every column and trim only the end (spec §4.1, §4.2)", () => {
    const home = newHome();
    expect(tart(home, ["create", "--linux", "dev"])).toMatchObject({ out: "", err: "", code: 0 });
    expect(tart(home, ["create", "--linux", "--disk-size", "20", "a-longer-name"]).code).toBe(0);
    const lines = tart(home, ["list"]).out.split("\n");
    expect(lines[0]).toMatch(/^Source Name {10}Disk Size Accessed +State  $/);
    expect(lines[1]).toMatch(/^local  a-longer-name 20 {3}0 {4}\d+ \w+ ago +stopped$/);
    expect(lines[2]).toMatch(/^local  dev {11}50 {3}0 {4}\d+ \w+ ago +stopped$/);
    expect(lines[3]).toBe("");
    expect(tart(home, ["get", "dev"]).out).toBe(
      "OS    CPU Memory Disk DiskFormat Size  Display  State  \nlinux 4   4096   50   raw        0.000 1024x768 stopped\n",
    );
  });

  test("JSON: Swift layout, 2.31 fields, per-process key order", () => {
    const home = newHome();
    tart(home, ["create", "--linux", "dev"]);
    const text = tart(home, ["list", "--format", "json"]).out;
    expect(text).toMatch(/^\[\n  \{\n    "\w+" : /);
    const [vm] = JSON.parse(text);
    expect(vm).toEqual({
      Source: "local",
      Name: "dev",
      Disk: 50,
      Size: 0,
      Accessed: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      Running: false,
      State: "stopped",
    });
    const orders = new Set<string>();
    for (let i = 0; i < 8; i++) orders.add(Object.keys(JSON.parse(tart(home, ["get", "dev", "--format", "json"]).out)).join());
    expect(orders.size).toBeGreaterThan(1);
    expect(JSON.parse(tart(home, ["get", "dev", "--format", "json"]).out)).toEqual({
      OS: "linux",
      CPU: 4,
      Memory: 4096,
      Disk: 50,
      DiskFormat: "raw",
      Size: "0.000",
      Display: "1024x768",
      Running: false,
      State: "stopped",
    });
  });

  test("get: missing or OCI names do not exist (exit 2)", () => {
    const home = newHome();
    expect(tart(home, ["get", "nope"])).toMatchObject({ err: 'the specified VM "nope" does not exist\n', code: 2 });
    expect(tart(home, ["get", "ghcr.io/a/b:c"]).code).toBe(2);
  });
});

describe("run, ip, stop", () => {
  test("the whole lifecycle of a --vnc --no-graphics VM", async () => {
    const home = newHome({ ...FAST, boot_ms: 1200 });
    tart(home, ["create", "--linux", "dev"]);
    const run = startRun(home, ["--vnc", "--no-graphics", "dev"]);
    await waitRunning(home, "dev");
    expect(JSON.parse(tart(home, ["list", "--format", "json"]).out)[0]).toMatchObject({ Running: true, State: "running" });
    // Running but not booted yet: no lease.
    expect(tart(home, ["ip", "dev"])).toMatchObject({ err: "no IP address found\n", code: 1 });
    expect(tart(home, ["run", "dev"])).toMatchObject({ err: 'VM "dev" is already running!\n', code: 2 });
    expect(tart(home, ["delete", "dev"])).toMatchObject({ err: 'VM "dev" is running\n', code: 1 });
    await run.waitFor("\n");
    expect(run.out()).toBe("VNC server is running at vnc://192.168.64.2\n");
    expect(tart(home, ["ip", "dev"])).toMatchObject({ out: "192.168.64.2\n", code: 0 });
    expect(JSON.parse(tart(home, ["get", "dev", "--format", "json"]).out).State).toBe("running");
    expect(tart(home, ["stop", "dev"])).toMatchObject({ out: "", err: "", code: 0 });
    expect(await run.done()).toMatchObject({ code: 0, out: "VNC server is running at vnc://192.168.64.2\nStopping VM...\n" });
    // A stopped VM keeps its lease for 24 h (spec §4.3).
    expect(tart(home, ["ip", "dev"])).toMatchObject({ out: "192.168.64.2\n", code: 0 });
    expect(tart(home, ["stop", "dev"])).toMatchObject({ err: 'VM "dev" is not running\n', code: 2 });
    expect(tart(home, ["delete", "dev"]).code).toBe(0);
  });

  test("ip --wait waits for the boot; failures say whether the VM runs", async () => {
    const home = newHome({ ...FAST, boot_ms: 300 });
    tart(home, ["create", "--linux", "dev"]);
    expect(tart(home, ["ip", "dev"])).toMatchObject({ err: "no IP address found, is your VM running?\n", code: 1 });
    const run = startRun(home, ["dev"]);
    await waitRunning(home, "dev");
    expect(tart(home, ["ip", "dev", "--wait", "5"])).toMatchObject({ out: "192.168.64.2\n", code: 0 });
    run.proc.kill("SIGINT");
    expect(await run.done()).toMatchObject({ code: 0, out: "Stopping VM...\n" });
  });

  test("a failing ip takes at least one sleep (1 s by default)", () => {
    const home = newHome({});
    tart(home, ["create", "--linux", "dev"]);
    const t0 = Date.now();
    expect(tart(home, ["ip", "dev"]).code).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  test("a closed stdout pipe kills run with SIGPIPE on its next line", () => {
    const home = newHome({ ...FAST, boot_ms: 50 });
    tart(home, ["create", "--linux", "dev"]);
    const p = Bun.spawnSync(["bash", "-c", `"${TART}" run --vnc --no-graphics dev | true; echo \${PIPESTATUS[0]}`], { env: envFor(home) });
    expect(p.stdout.toString()).toBe("141\n");
  });

  test("run of a missing VM is 'Error: …' with exit 1", () => {
    const home = newHome();
    expect(tart(home, ["run", "nosuch"])).toMatchObject({ err: 'Error: the specified VM "nosuch" does not exist\n', code: 1 });
  });

  test("SIGTERM kills run outright; the VM is then stopped", async () => {
    const home = newHome();
    tart(home, ["create", "--linux", "dev"]);
    const run = startRun(home, ["dev"]);
    await waitRunning(home, "dev");
    run.proc.kill("SIGTERM");
    expect(await run.done()).toMatchObject({ signal: "SIGTERM", out: "" });
    expect(JSON.parse(tart(home, ["list", "--format", "json"]).out)[0].State).toBe("stopped");
    expect(tart(home, ["delete", "dev"]).code).toBe(0);
  });

  test("stop --timeout sends SIGKILL when run ignores SIGINT", async () => {
    const home = newHome({ ...FAST, run_ignore_sigint: true });
    tart(home, ["create", "--linux", "dev"]);
    const run = startRun(home, ["dev"]);
    await waitRunning(home, "dev");
    const t0 = Date.now();
    expect(tart(home, ["stop", "dev", "-t", "1"]).code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(await run.done()).toMatchObject({ signal: "SIGKILL" });
  });

  test("a third macOS VM hits the system limit; --vnc-experimental prints at once", async () => {
    const home = newHome({ ...FAST, boot_ms: 10_000 });
    const vm = (n: string) => tart(home, ["clone", "ghcr.io/cirruslabs/macos-sequoia-base:latest", n]);
    vm("a");
    vm("b");
    vm("c");
    const a = startRun(home, ["--vnc-experimental", "--no-graphics", "a"]);
    await a.waitFor("\n");
    expect(a.out()).toMatch(/^VNC server is running at vnc:\/\/:\w+-\w+-\w+-\w+@127\.0\.0\.1:\d+\n$/);
    const b = startRun(home, ["b"]);
    await waitRunning(home, "b");
    const c = tart(home, ["run", "c"]);
    expect(c).toMatchObject({ err: "The number of VMs exceeds the system limit (other running VMs: a, b)\n", code: 1 });
    a.proc.kill("SIGINT");
    b.proc.kill("SIGINT");
    await a.done();
    await b.done();
  });

  test("suspend, resume from the snapshot, stop a suspended VM", async () => {
    const home = newHome();
    tart(home, ["clone", "ghcr.io/cirruslabs/macos-sequoia-base:latest", "mac"]);
    expect(tart(home, ["suspend", "mac"])).toMatchObject({ err: 'VM "VM "mac" is not running" is not running\n', code: 2 });
    const run = startRun(home, ["--suspendable", "mac"]);
    await waitRunning(home, "mac");
    expect(tart(home, ["suspend", "mac"]).code).toBe(0);
    expect(await run.done()).toMatchObject({
      code: 0,
      out: "pausing VM to take a snapshot...\ncreating a snapshot...\nsnapshot created successfully! shutting down the VM...\n",
    });
    expect(JSON.parse(tart(home, ["get", "mac", "--format", "json"]).out).State).toBe("suspended");
    const again = startRun(home, ["mac"]);
    await again.waitFor("resuming VM...\n");
    again.proc.kill("SIGINT");
    await again.done();
    tart(home, ["suspend", "mac"]);
    expect(tart(home, ["list"]).out).toContain("stopped");
  });
});

describe("pull and clone", () => {
  test("fresh pull: progress lines, ESC prefix unless CI, cached afterwards", () => {
    const home = newHome();
    const ref = "ghcr.io/cirruslabs/macos-sequoia-base";
    const first = tart(home, ["pull", ref]);
    const esc = "\x1b[1A\r\x1b[J";
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toBe(
      `pulling ${ref}:latest...\npulling manifest...\npulling disk (24.3 GB compressed)...\n0%\n${esc}25%\n${esc}50%\n${esc}75%\n${esc}100%\npulling NVRAM...\n`,
    );
    const again = tart(home, ["pull", `${ref}:latest`]);
    expect(again.out).toMatch(/^pulling .*\npulling manifest...\nghcr\.io\/cirruslabs\/macos-sequoia-base@sha256:[0-9a-f]{64} image is already cached and linked!\n$/);
    const ci = tart(home, ["pull", "ghcr.io/cirruslabs/ubuntu:24.04"], { CI: "" });
    expect(ci.out).toContain("0%\n25%\n50%\n75%\n100%\n");
    const list = JSON.parse(tart(home, ["list", "--source", "oci", "--format", "json"]).out) as { Name: string; Source: string }[];
    expect(list.map((e) => e.Name)).toEqual([
      `${ref}:latest`,
      expect.stringMatching(/^ghcr\.io\/cirruslabs\/macos-sequoia-base@sha256:[0-9a-f]{64}$/),
      "ghcr.io/cirruslabs/ubuntu:24.04",
      expect.stringMatching(/^ghcr\.io\/cirruslabs\/ubuntu@sha256:/),
    ]);
    expect(tart(home, ["list", "--format", "json"]).out).toContain('"ghcr.io\\/cirruslabs\\/ubuntu:24.04"');
  });

  test("progress is paced: at most one line per interval", () => {
    const home = newHome({ pull_interval_ms: 150, pull_steps: 3 });
    const t0 = Date.now();
    tart(home, ["pull", "ghcr.io/a/b:c"], { CI: "1" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
  });

  test("pulls from one host serialise: the second waits, then finds the digest cached", async () => {
    const home = newHome({ pull_interval_ms: 100, pull_steps: 3 });
    const first = Bun.spawn([TART, "pull", "ghcr.io/a/b"], { env: envFor(home, { CI: "1" }), stdout: "pipe" });
    await until(() => existsSync(join(home, "cache/OCIs/ghcr.io/.fake-pull.lock")));
    const second = tart(home, ["pull", "ghcr.io/a/b:latest"], { CI: "1" });
    expect(second.out).toMatch(/^pulling ghcr\.io\/a\/b:latest...\npulling manifest...\nwaiting for lock...\nghcr\.io\/a\/b@sha256:[0-9a-f]{64} image is already cached! creating a symlink...\n$/);
    expect(await first.exited).toBe(0);
  });

  test("Ctrl+C while waiting for the host lock: exit 1, the holder's pull goes on", async () => {
    const home = newHome({ pull_interval_ms: 100, pull_steps: 6 });
    const lock = join(home, "cache/OCIs/ghcr.io/.fake-pull.lock");
    const first = Bun.spawn([TART, "pull", "ghcr.io/a/b:1"], { env: envFor(home, { CI: "1" }), stdout: "pipe" });
    await until(() => existsSync(lock));
    const waiter = Bun.spawn([TART, "pull", "ghcr.io/a/c:1"], { env: envFor(home, { CI: "1" }), stdout: "pipe", stderr: "pipe" });
    const out = waiter.stdout.getReader();
    let seen = "";
    while (!seen.includes("waiting for lock...")) seen += new TextDecoder().decode((await out.read()).value);
    waiter.kill("SIGINT");
    expect(await waiter.exited).toBe(1);
    expect(await new Response(waiter.stderr).text()).toBe("Error: CancellationError()\n");
    expect(await first.exited).toBe(0);
    expect(existsSync(join(home, "cache/OCIs/ghcr.io/a/b/1"))).toBe(true);
    expect(existsSync(join(home, "cache/OCIs/ghcr.io/a/c"))).toBe(false);
    expect(readdirSync(join(home, "cache/OCIs/ghcr.io")).filter((f) => f.startsWith(".fake-pull"))).toEqual([]);
  });

  test("errors: bad reference, unknown image, local name", () => {
    const home = newHome({ ...FAST, pull_missing: ["ghcr.io/nope/*"] });
    const bad = tart(home, ["pull", "ubuntu"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^failed to parse remote name: .* \(character \d+\)\n$/);
    const missing = tart(home, ["pull", "ghcr.io/nope/x:1"]);
    expect(missing).toMatchObject({ code: 1, out: "pulling ghcr.io/nope/x:1...\npulling manifest...\n" });
    expect(missing.err).toStartWith('Error: UnexpectedHTTPStatusCode(when: "pulling manifest", code: 404, details: "');
    tart(home, ["create", "--linux", "dev"]);
    expect(tart(home, ["pull", "dev"])).toMatchObject({ out: '"dev" is a local image, nothing to pull here!\n', code: 0 });
  });

  test("clone auto-pulls without the first line, overwrites silently, keeps then re-rolls the MAC", () => {
    const home = newHome();
    const ref = "ghcr.io/cirruslabs/macos-sequoia-base:latest";
    const c = tart(home, ["clone", ref, "one"], { CI: "1" });
    expect(c.out).toBe("pulling manifest...\npulling disk (24.3 GB compressed)...\n0%\n25%\n50%\n75%\n100%\npulling NVRAM...\n");
    expect(tart(home, ["clone", ref, "two"]).out).toBe("");
    expect(tart(home, ["clone", "one", "two"])).toMatchObject({ out: "", err: "", code: 0 });
    const mac = (n: string) => JSON.parse(readFileSync(join(home, "vms", n, "config.json"), "utf8")).macAddress;
    expect(new Set([mac("one"), mac("two")]).size).toBe(2);
    expect(tart(home, ["clone", "one", "a/b"]).code).toBe(64);
    expect(tart(home, ["clone", "nope", "x"])).toMatchObject({ err: 'the specified VM "nope" does not exist\n', code: 2 });
  });

  test("Ctrl+C during a pull or a clone's pull: tmp and host lock removed, nothing cached, exit 1", async () => {
    const home = newHome({ pull_interval_ms: 100, pull_steps: 50 });
    const lock = join(home, "cache/OCIs/ghcr.io/.fake-pull.lock");
    for (const args of [["pull", "ghcr.io/a/b:1"], ["clone", "ghcr.io/a/b:1", "copy"]]) {
      const proc = Bun.spawn([TART, ...args], { env: envFor(home, { CI: "1" }), stdout: "pipe", stderr: "pipe" });
      // The host lock comes first, the tmp folder a moment later: wait for both.
      await until(() => existsSync(lock) && existsSync(join(home, "tmp")) && readdirSync(join(home, "tmp")).length > 0);
      await Bun.sleep(150);
      proc.kill("SIGINT");
      expect(await proc.exited).toBe(1);
      expect(await new Response(proc.stderr).text()).toBe("Error: CancellationError()\n");
      expect(readdirSync(join(home, "tmp"))).toEqual([]);
      expect(existsSync(lock)).toBe(false);
      expect(existsSync(join(home, "cache/OCIs/ghcr.io/a/b"))).toBe(false);
      expect(existsSync(join(home, "vms/copy"))).toBe(false);
    }
  });

  test("pull_drop: progress up to the percent, then tart's network error; `times` counts per reference", () => {
    const home = newHome({ ...FAST, pull_drop: { at: 50, times: 1 } });
    const dropped = tart(home, ["pull", "ghcr.io/a/b:1"], { CI: "1" });
    expect(dropped).toMatchObject({ code: 1, err: "Error: The network connection was lost.\n" });
    expect(dropped.out).toBe("pulling ghcr.io/a/b:1...\npulling manifest...\npulling disk (24.3 GB compressed)...\n0%\n25%\n50%\n");
    expect(readdirSync(join(home, "tmp"))).toEqual([]);
    expect(tart(home, ["pull", "ghcr.io/a/b:1"], { CI: "1" }).code).toBe(0); // the network is back
    // another reference has its own count; a clone's auto-pull drops too
    const clone = tart(home, ["clone", "ghcr.io/a/c:1", "copy"], { CI: "1" });
    expect(clone).toMatchObject({ code: 1, err: "Error: The network connection was lost.\n" });
    expect(existsSync(join(home, "vms/copy"))).toBe(false);
    writeFileSync(join(home, "fake-tart.json"), JSON.stringify({ ...FAST, pull_drop: { at: 0, error: "The request timed out." } }));
    expect(tart(home, ["pull", "ghcr.io/a/d:1"], { CI: "1" })).toMatchObject({ code: 1, err: "Error: The request timed out.\n" });
  });

  test("delete a tag garbage-collects its digest; deleting a digest drops its tags", () => {
    const home = newHome();
    tart(home, ["pull", "ghcr.io/a/b:1"]);
    tart(home, ["pull", "ghcr.io/a/c:1"]);
    expect(tart(home, ["delete", "ghcr.io/a/b:1"])).toMatchObject({ out: "", code: 0 });
    const digest = tart(home, ["fqn", "ghcr.io/a/c:1"]).out.trim();
    expect(digest).toMatch(/^ghcr\.io\/a\/c@sha256:/);
    expect(tart(home, ["list", "-q"]).out).toBe(`ghcr.io/a/c:1\n${digest}\n`);
    expect(tart(home, ["delete", digest]).code).toBe(0);
    expect(tart(home, ["list", "-q"]).out).toBe("");
    expect(tart(home, ["delete", "ghcr.io/a/c:1"]).code).toBe(2);
  });
});

describe("set, rename, delete", () => {
  test("set: minimums, units, grow-only disk", () => {
    const home = newHome();
    tart(home, ["clone", "ghcr.io/cirruslabs/macos-sequoia-base:latest", "mac"]);
    expect(tart(home, ["set", "mac", "--cpu", "2"])).toMatchObject({
      err: "Error: LessThanMinimalResourcesError: VM should have 4 CPU cores at minimum (requested 2)\n",
      code: 1,
    });
    expect(tart(home, ["set", "mac", "--memory", "8"])).toMatchObject({
      err: "Error: LessThanMinimalResourcesError: VM should have 4294967296 bytes of memory at minimum (requested 8388608)\n",
      code: 1,
    });
    expect(tart(home, ["set", "mac", "--cpu", "6", "--memory", "16384", "--display", "1920x1080pt"])).toMatchObject({ out: "", code: 0 });
    expect(tart(home, ["set", "mac", "--disk-size", "20"])).toMatchObject({
      err: "new disk size of 20 GB should be larger than the current disk size of 50 GB\n",
      code: 1,
    });
    expect(tart(home, ["set", "mac", "--disk-size", "80"]).code).toBe(0);
    expect(JSON.parse(tart(home, ["get", "mac", "--format", "json"]).out)).toMatchObject({
      CPU: 6,
      Memory: 16384,
      Disk: 80,
      Display: "1920x1080pt",
    });
  });

  test("rename refuses a missing source or an existing target with the root usage", () => {
    const home = newHome();
    tart(home, ["create", "--linux", "a"]);
    tart(home, ["create", "--linux", "b"]);
    const root = "Usage: tart <subcommand>\n  See 'tart --help' for more information.\n";
    expect(tart(home, ["rename", "x", "y"])).toMatchObject({ err: `Error: failed to rename a non-existent local VM: x\n${root}`, code: 64 });
    expect(tart(home, ["rename", "a", "b"])).toMatchObject({
      err: `Error: failed to rename VM a, target VM b already exists, delete it first!\n${root}`,
      code: 64,
    });
    expect(tart(home, ["rename", "a", "c"]).code).toBe(0);
    expect(tart(home, ["list", "-q"]).out).toBe("b\nc\n");
  });

  test("delete works in order and stops at the first error", () => {
    const home = newHome();
    tart(home, ["create", "--linux", "a"]);
    tart(home, ["create", "--linux", "c"]);
    expect(tart(home, ["delete", "a", "b", "c"])).toMatchObject({ err: 'the specified VM "b" does not exist\n', code: 2 });
    expect(tart(home, ["list", "-q"]).out).toBe("c\n");
  });
});

describe("knobs", () => {
  test("argv log: one JSON line per invocation", () => {
    const home = newHome();
    tart(home, ["list", "--format", "json"]);
    tart(home, ["get", "x"]);
    const lines = readFileSync(join(home, "argv.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.argv)).toEqual([["list", "--format", "json"], ["get", "x"]]);
    expect(typeof lines[0].pid).toBe("number");
    expect(Math.abs(lines[0].time - Date.now())).toBeLessThan(10_000);
  });

  test("latency (per command), fail, garbage, gc_error; the file wins over env", () => {
    const home = newHome({ latency_ms: { list: 600 }, fail: { stop: { stderr: "boom", exit: 3 } }, garbage: ["get"], gc_error: "EPERM" });
    let t0 = Date.now();
    tart(home, ["list"]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    t0 = Date.now();
    tart(home, ["--version"]);
    expect(Date.now() - t0).toBeLessThan(600);
    expect(tart(home, ["stop", "x"])).toMatchObject({ err: "boom\n", code: 3 });
    tart(home, ["create", "--linux", "dev"]);
    const g = tart(home, ["get", "dev", "--format", "json"]);
    expect(g.code).toBe(0);
    expect(() => JSON.parse(g.out)).toThrow();
    expect(tart(home, ["get", "dev"]).err).toBe("Failed to perform garbage collection: EPERM\n");
    expect(tart(home, ["--version"], { FAKE_TART_VERSION: "9.9.9" }).out).toBe("9.9.9\n");
    writeFileSync(join(home, "fake-tart.json"), JSON.stringify({ version: "1.0.0" }));
    expect(tart(home, ["--version"], { FAKE_TART_VERSION: "9.9.9" }).out).toBe("1.0.0\n");
  });

  test("hang sleeps until killed; crash dies by SIGSEGV after partial output", async () => {
    const home = newHome({ hang: ["list"], crash: ["get"] });
    const p = Bun.spawn([TART, "list"], { env: envFor(home), stdout: "pipe" });
    const timedOut = await Promise.race([p.exited.then(() => false), Bun.sleep(400).then(() => true)]);
    expect(timedOut).toBe(true);
    p.kill("SIGKILL");
    await p.exited;
    tart(home, ["create", "--linux", "dev"]);
    const c = tart(home, ["get", "dev", "--format", "json"]);
    expect(c.signal).toBe("SIGSEGV");
    expect(c.out.length).toBeGreaterThan(0);
    expect(() => JSON.parse(c.out)).toThrow();
  });

  test("--vnc without a lease in time: IPNotFound(), exit 1", async () => {
    const home = newHome({ ...FAST, boot_ms: 5000, vnc_timeout_ms: 100 });
    tart(home, ["create", "--linux", "dev"]);
    expect(await startRun(home, ["--vnc", "--no-graphics", "dev"]).done()).toMatchObject({ code: 1, out: "", err: "IPNotFound()\n" });
  });

  test("run_fail makes run die early with its stderr", async () => {
    const home = newHome({ ...FAST, run_exit_after_ms: 50, run_fail: { stderr: "The number of VMs exceeds the system limit", exit: 1 } });
    tart(home, ["create", "--linux", "dev"]);
    expect(await startRun(home, ["dev"]).done()).toMatchObject({ code: 1, err: "The number of VMs exceeds the system limit\n" });
    expect(JSON.parse(tart(home, ["list", "--format", "json"]).out)[0].Running).toBe(false);
  });

  test("flood_lines prints that many progress lines at once", () => {
    const home = newHome({ flood_lines: 5000, pull_interval_ms: 10_000 });
    const t0 = Date.now();
    const r = tart(home, ["pull", "ghcr.io/a/b:c"], { CI: "1" });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.out.split("\n").filter((l) => /^\d+%$/.test(l)).length).toBe(5000);
  });
});

describe("seed", () => {
  test("2,000 VMs in well under a few seconds; seeded running VMs behave", () => {
    const home = newHome();
    const t0 = performance.now();
    const r = seedTartHome({ home, local: 2000, running: 100, oci: 3 });
    // Typically 0.2–0.6 s; the bound only catches a regression, since a shared disk can stall.
    expect(performance.now() - t0).toBeLessThan(8000);
    expect(r.local.length).toBe(2000);
    const list = JSON.parse(tart(home, ["list", "--format", "json"]).out) as { State: string; Source: string }[];
    expect(list.length).toBe(2006);
    expect(list.filter((v) => v.State === "running").length).toBe(100);
    expect(tart(home, ["ip", r.running[0]!])).toMatchObject({ out: "192.168.64.2\n", code: 0 });
    // Stopping a seeded VM drops its mark; it never signals the borrowed pid (ours).
    expect(tart(home, ["stop", r.running[0]!]).code).toBe(0);
    expect(JSON.parse(tart(home, ["get", r.running[0]!, "--format", "json"]).out).Running).toBe(false);
  });

  test("the CLI form", () => {
    const home = newHome();
    const p = Bun.spawnSync(
      [process.execPath, join(import.meta.dir, "support/fake-tart/seed.ts"), "--home", home, "--local", "5", "--running", "2", "--oci", "1", "--running-pid", String(process.pid)],
      { env: { PATH } },
    );
    expect(p.exitCode).toBe(0);
    expect(tart(home, ["list", "-q"]).out.split("\n").filter(Boolean).length).toBe(7);
    expect(tart(home, ["list"]).out.match(/running/g)?.length).toBe(2);
  });
});
