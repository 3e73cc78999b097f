// The CLI client as a user runs it: the compiled binary against a real server process (itself
// the binary) driving the fake tart. Each command's stdout, --json, stderr and exit code are
// checked, and what it did is checked through the API, not through the CLI's own words.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, stopAll, BINARY, type TestServer } from "../support/server-process.ts";
import { cli } from "./support.ts";

let server: TestServer;
const run = (args: string[], options: Parameters<typeof cli>[1] = {}) => cli(args, { dataDir: server.dataDir, ...options });

beforeAll(async () => {
  server = await startServer({ binary: true, seed: { local: 6, running: 1, oci: 1 }, knobs: { vm_limit: 0 } });
}, 30_000);
afterAll(stopAll);

describe("finding the server", () => {
  test("the server writes its address to the data dir, and removes it when it stops", async () => {
    const other = await startServer({ binary: true });
    const file = join(other.dataDir, "server.json");
    const address = JSON.parse(readFileSync(file, "utf8"));
    expect(address).toMatchObject({ url: `http://127.0.0.1:${other.port}/`, pid: other.proc.pid });
    const dataDir = other.dataDir;
    // Keep the data dir: stop() removes it only when the test did not pass one.
    other.proc.kill("SIGTERM");
    await other.proc.exited;
    expect(existsSync(file)).toBe(false);
    const after = await cli(["vms"], { dataDir });
    expect(after.code).toBe(3);
    expect(after.stderr).toContain("not running");
  });

  test("exit 3 when no server ever ran with the data dir", async () => {
    const result = await cli(["vms"], { dataDir: mkdtempSync(join(tmpdir(), "cli-empty-")) });
    expect(result).toMatchObject({ code: 3, stdout: "" });
    expect(result.stderr).toContain("no server has run with the data dir");
  });

  test("exit 3 when the address file names a process that is gone", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cli-stale-"));
    writeFileSync(join(dataDir, "token"), "x".repeat(43), { mode: 0o600 });
    const dead = Bun.spawnSync(["true"]).pid; // exited already
    writeFileSync(join(dataDir, "server.json"), JSON.stringify({ url: "http://127.0.0.1:9/", pid: dead, version: "0" }));
    const result = await cli(["tasks"], { dataDir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`pid ${dead}`);
  });

  test("exit 3 when the server does not answer at the address (--url)", async () => {
    const result = await run(["vms", "--url", "http://127.0.0.1:9"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("does not answer");
  });

  test("the token is read from the data dir: a wrong one is refused with exit 1", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cli-wrong-token-"));
    writeFileSync(join(dataDir, "token"), "y".repeat(43), { mode: 0o600 });
    const result = await cli(["vms", "--url", server.base], { dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("refused the token");
  });
});

describe("usage", () => {
  test("help lists every command; each command has its --help", async () => {
    const help = await run(["help"]);
    expect(help.code).toBe(0);
    for (const name of ["vms", "start", "stop", "pull", "clone", "create", "delete", "tasks", "logs", "open", "service", "autostart", "suspend", "rename", "settings", "prune", "login", "logout", "retry", "cancel"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
      const one = await run([name, "--help"]);
      expect(one.code).toBe(0);
      expect(one.stdout).toStartWith(`Usage: taartenfabriek ${name}`);
    }
  });

  test.each([
    [["start"], "missing NAME"],
    [["start", "a", "b"], 'unexpected argument "b"'],
    [["stop", "dev", "--hard"], "unknown option --hard"],
    [["create", "dev"], "missing --from SOURCE"],
    [["settings", "dev", "--cpu", "four"], '--cpu must be a whole number, not "four"'],
    [["tasks", "--limit"], "--limit needs a value"],
    [["autostart", "dev", "maybe"], "say on or off"],
    [["service", "reinstall"], 'unknown action "reinstall"'],
  ])("%p is a usage error (exit 2) that runs nothing", async (args, message) => {
    const before = (await server.get<any>("/api/tasks?limit=500")).tasks.length;
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(`Usage: taartenfabriek ${args[0]}`);
    expect((await server.get<any>("/api/tasks?limit=500")).tasks.length).toBe(before);
  });

  test("no command, or only flags, still starts the server", async () => {
    const proc = Bun.spawn([BINARY, "--help"], { stdout: "pipe" });
    expect(await new Response(proc.stdout).text()).toContain("--data-dir DIR");
    expect(await proc.exited).toBe(0);
  });
});

describe("the inventory", () => {
  test("vms prints a table of what GET /api/vms lists, and --json exactly that list", async () => {
    const table = await run(["vms"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+STATE\s+IP\s+OS/);
    const api = await server.get<any[]>("/api/vms");
    expect(lines.length).toBe(api.length + 1);
    const running = api.find((vm) => vm.state === "running")!;
    expect(lines.find((line) => line.startsWith(running.name + " "))).toContain(running.ip_address);

    const json = await run(["vms", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).map((vm: any) => vm.name)).toEqual(api.map((vm) => vm.name));
  });
});

describe("tasks", () => {
  test("start --wait follows the task and exits 0; the VM runs; no progress bar when not a terminal", async () => {
    const result = await run(["start", "vm-0002", "--wait"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("vm-0002");
    expect(result.stderr).toContain("$ tart run --vnc --no-graphics vm-0002");
    expect(result.stderr).not.toContain("\r");
    expect((await server.get<any>("/api/vms/vm-0002")).state).toBe("running");
  });

  test("start --wait --json prints only the final Task on stdout", async () => {
    const result = await run(["start", "vm-0003", "--wait", "--json"]);
    expect(result.code).toBe(0);
    const task = JSON.parse(result.stdout);
    expect(task).toMatchObject({ action: "start_vm", vm_name: "vm-0003", status: "completed" });
    expect(task.result.ip_address).toMatch(/^192\.168\.64\./);
    expect(result.stderr).toBe("");
  });

  test("without --wait a task command prints the task and returns at once", async () => {
    const result = await run(["stop", "vm-0003", "--json"]);
    expect(result.code).toBe(0);
    const task = JSON.parse(result.stdout);
    expect(task).toMatchObject({ action: "stop_vm", vm_name: "vm-0003" });
    expect((await server.waitTask(task.id)).status).toBe("completed");
  });

  test("pull --wait of a missing image fails: exit 1 and tart's error", async () => {
    const ref = "ghcr.io/cirruslabs/not-there:latest";
    server.setKnobs({ pull_missing: [ref] });
    const result = await run(["pull", ref, "--wait"]);
    server.setKnobs({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("pull_vm failed");
    expect(result.stderr).toContain("404");
  });

  test("pull, then logs -f: the whole log on stdout, once, to the end", async () => {
    server.setKnobs({ pull_steps: 10, pull_interval_ms: 100 });
    const started = await run(["pull", "ghcr.io/cirruslabs/debian:latest"]);
    expect(started.code).toBe(0);
    const id = /task ([0-9a-f-]{36})/.exec(started.stdout)![1]!;
    expect(started.stdout).toContain(`taartenfabriek logs ${id} -f`);
    await Bun.sleep(300); // part of the log is written: -f prints it, then the rest as it comes
    const followed = await run(["logs", id, "-f"]);
    server.setKnobs({});
    expect(followed.code).toBe(0);
    const whole = await (await server.fetch(`/api/tasks/${id}/log`)).text();
    expect(followed.stdout).toBe(whole.endsWith("\n") ? whole : `${whole}\n`);
    expect(followed.stdout).toContain("100%");
    const plain = await run(["logs", id]);
    expect(plain.stdout).toBe(followed.stdout);
  });

  test("on a terminal, --wait draws a progress bar", async () => {
    server.setKnobs({ pull_steps: 5, pull_interval_ms: 60 });
    // script(1) gives the binary a pseudo-terminal, as a shell would.
    const command = `TARTVM_DATA_DIR=${server.dataDir} ${BINARY} pull ghcr.io/cirruslabs/fedora:latest --wait`;
    const proc = Bun.spawn(["script", "-qefc", command, "/dev/null"], { stdout: "pipe", stderr: "pipe", env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent-home" } });
    const output = await new Response(proc.stdout).text();
    server.setKnobs({});
    expect(await proc.exited).toBe(0);
    expect(output).toMatch(/\[#{5,}-*\]\s+\d+%/);
    expect(output).toContain("\r\x1b[2K");
    expect(output).toContain("Pulled ghcr.io/cirruslabs/fedora:latest");
  });

  test("clone, rename, settings, create, delete: each runs its tart command", async () => {
    expect((await run(["clone", "vm-0004", "copy-1", "--wait"])).code).toBe(0);
    expect((await run(["rename", "copy-1", "copy-2", "--wait"])).code).toBe(0);
    const set = await run(["settings", "copy-2", "--cpu", "2", "--memory", "4", "--wait"]);
    expect(set.code).toBe(0);
    expect((await run(["create", "made-1", "--from", "vm-0004", "--cpu", "2", "--wait"])).code).toBe(0);
    expect((await run(["delete", "made-1", "--wait"])).code).toBe(0);
    const argv = server.argvLog().map((a) => a.join(" "));
    expect(argv).toContain("clone vm-0004 copy-1");
    expect(argv).toContain("rename copy-1 copy-2");
    expect(argv).toContain("set copy-2 --cpu 2 --memory 4096");
    expect(argv).toContain("delete made-1");
    const names = (await server.get<any[]>("/api/vms")).map((vm) => vm.name);
    expect(names).toContain("copy-2");
    expect(names).not.toContain("made-1");
  });

  test("suspend, then start resumes; cancel stops a pull; prune runs tart prune", async () => {
    expect((await run(["start", "vm-0005", "--suspendable", "--wait"])).code).toBe(0);
    const suspended = await run(["suspend", "vm-0005", "--wait"]);
    expect(suspended.code).toBe(0);
    expect((await server.get<any>("/api/vms/vm-0005")).state).toBe("suspended");
    expect((await run(["start", "vm-0005", "--wait"])).stdout).toContain("resumed");

    server.setKnobs({ pull_steps: 50, pull_interval_ms: 200 });
    const pull = JSON.parse((await run(["pull", "ghcr.io/cirruslabs/rocky:latest", "--json"])).stdout);
    await Bun.sleep(500);
    const cancelled = await run(["cancel", pull.id]);
    server.setKnobs({});
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toStartWith("cancelled");
    expect((await run(["cancel", pull.id])).code).toBe(1); // finished: nothing to cancel (409)

    const pruned = await run(["prune", "--entries", "caches", "--older-than", "0", "--wait"]);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain("Pruned");
    expect(server.argvLog().map((a) => a.join(" "))).toContain("prune --entries caches --older-than 0");
  }, 30_000);

  test("an API refusal is exit 1 with the server's detail", async () => {
    const result = await run(["settings", "vm-0001", "--cpu", "999"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cpu");
    const missing = await run(["start", "no-such-vm"]);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toBe("taartenfabriek start: VM no-such-vm not found\n");
  });

  test("tasks lists the history; --json is the API's tasks; retry runs a failed one again", async () => {
    const table = await run(["tasks", "--limit", "5"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+ACTION\s+VM\s+STATUS/);
    const json = JSON.parse((await run(["tasks", "--json", "--limit", "50"])).stdout);
    const failed = json.find((task: any) => task.status === "failed" && task.vm_name === "ghcr.io/cirruslabs/not-there:latest");
    expect(failed.vm_name).toBe("ghcr.io/cirruslabs/not-there:latest");
    const retried = await run(["retry", failed.id, "--wait"]);
    expect(retried.code).toBe(0); // the image is no longer missing
    expect((await run(["tasks", "--active", "--json"])).stdout.trim()).toBe("[]");
  });

  test("login reads the password from stdin only, and it appears nowhere", async () => {
    const refused = await run(["login", "registry.example.com", "--username", "ci"]);
    expect(refused.code).toBe(2);
    const result = await run(["login", "registry.example.com", "--username", "ci", "--password-stdin", "--wait"], { stdin: "s3cret-pass\n" });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain("s3cret-pass");
    const registries = await run(["registries", "--json"]);
    expect(JSON.parse(registries.stdout).registries).toMatchObject([{ host: "registry.example.com", username: "ci" }]);
    expect((await run(["logout", "registry.example.com", "--wait"])).code).toBe(0);
  });

  test("open starts the browser with the token in the fragment, and prints no token", async () => {
    const bin = mkdtempSync(join(tmpdir(), "cli-open-"));
    const record = join(bin, "opened");
    writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$1" >> ${record}\n`);
    chmodSync(join(bin, "xdg-open"), 0o755);
    const result = await run(["open"], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(server.token);
    for (let i = 0; i < 50 && !existsSync(record); i++) await Bun.sleep(20);
    expect(readFileSync(record, "utf8").trim()).toBe(`${server.base}/#token=${server.token}`);

    const vm = await run(["open", "vm-0002"], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(vm.code).toBe(0);
    const ip = (await server.get<any>("/api/vms/vm-0002")).ip_address;
    for (let i = 0; i < 50 && readFileSync(record, "utf8").trim().split("\n").length < 2; i++) await Bun.sleep(20);
    expect(readFileSync(record, "utf8").trim().split("\n")[1]).toBe(`vnc://${ip}`);
    const stopped = await run(["open", "vm-0004"]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain("vm-0004 is stopped");
  });
});
