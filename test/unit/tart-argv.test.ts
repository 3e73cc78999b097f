// The one argv builder the server runs and the UI previews (src/adapters/tart/tart-argv.ts), the
// registry host grammar of tart login, and the runner's stdin: bytes reach the command, not argv.
import { describe, expect, test } from "bun:test";
import { cloneArgs, commandLine, loginArgs, logoutArgs, pruneArgs, pullArgs, runArgs, setArgs, shellQuote } from "../../src/adapters/tart/tart-argv.ts";
import { runProcess } from "../../src/adapters/tart/run-process.ts";
import { checkRegistryHost, parseRegistryHost } from "../../src/domain/names.ts";

describe("tart argv", () => {
  test("pull, clone, set and run as the tasks run them", () => {
    expect(pullArgs("ghcr.io/cirruslabs/ubuntu:latest")).toEqual(["pull", "ghcr.io/cirruslabs/ubuntu:latest"]);
    expect(cloneArgs("ghcr.io/cirruslabs/ubuntu:latest", "dev")).toEqual(["clone", "ghcr.io/cirruslabs/ubuntu:latest", "dev"]);
    expect(setArgs("dev", { cpu: 4, memoryMiB: 8192, diskSizeGB: 60 })).toEqual(["set", "dev", "--cpu", "4", "--memory", "8192", "--disk-size", "60"]);
    expect(setArgs("dev", { diskSizeGB: 60 })).toEqual(["set", "dev", "--disk-size", "60"]);
    expect(runArgs("dev")).toEqual(["run", "--vnc", "--no-graphics", "dev"]);
  });

  test("a loopback registry (plain HTTP) gets --insecure; a remote one and a local VM do not", () => {
    expect(pullArgs("localhost:5000/acme/ubuntu:24.04")).toEqual(["pull", "localhost:5000/acme/ubuntu:24.04", "--insecure"]);
    expect(pullArgs("127.0.0.1:5000/a/b@sha256:" + "0".repeat(64))).toEqual(["pull", "127.0.0.1:5000/a/b@sha256:" + "0".repeat(64), "--insecure"]);
    expect(cloneArgs("[::1]:5000/a/b:1", "dev")).toEqual(["clone", "[::1]:5000/a/b:1", "dev", "--insecure"]);
    expect(cloneArgs("localhost", "dev")).toEqual(["clone", "localhost", "dev"]);
    expect(pullArgs("localhost.example.com/a/b:1")).toEqual(["pull", "localhost.example.com/a/b:1"]);
    expect(pullArgs("128.0.0.1:5000/a/b:1")).toEqual(["pull", "128.0.0.1:5000/a/b:1"]);
    expect(loginArgs("localhost:5000", "ci")).toEqual(["login", "localhost:5000", "--username", "ci", "--password-stdin", "--insecure"]);
  });

  test("prune carries only the criteria given", () => {
    expect(pruneArgs({ entries: "caches", olderThanDays: 7 })).toEqual(["prune", "--entries", "caches", "--older-than", "7"]);
    expect(pruneArgs({ entries: "vms", spaceBudgetGB: 50 })).toEqual(["prune", "--entries", "vms", "--space-budget", "50"]);
    expect(pruneArgs({ entries: "caches", olderThanDays: 0, spaceBudgetGB: 0 })).toEqual(["prune", "--entries", "caches", "--older-than", "0", "--space-budget", "0"]);
  });

  test("login takes the password on stdin: it is in no argument", () => {
    expect(loginArgs("registry.example.com:5000", "robot$ci")).toEqual(["login", "registry.example.com:5000", "--username", "robot$ci", "--password-stdin"]);
    expect(logoutArgs("ghcr.io")).toEqual(["logout", "ghcr.io"]);
  });

  test("a command line quotes what a shell would split or expand", () => {
    expect(shellQuote("ghcr.io/a/b:latest")).toBe("ghcr.io/a/b:latest");
    expect(shellQuote("robot$ci")).toBe("'robot$ci'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(commandLine(setArgs("dev", { cpu: 2 }))).toBe("tart set dev --cpu 2");
  });
});

describe("registry hosts", () => {
  test.each(["ghcr.io", "registry.example.com:5000", "localhost", "localhost:5000", "[::1]:5000", "my-registry.corp.example"])("accepts %p", (host) => {
    expect(parseRegistryHost(host)).toBe(host);
  });
  test.each(["", "registry", "https://ghcr.io", "ghcr.io/acme", "-rf.example", "a b.io", "ghcr.io:port", "x".repeat(256) + ".io", "ghcr.io\n"])("refuses %p", (host) => {
    expect(parseRegistryHost(host)).toBeNull();
    expect(() => checkRegistryHost(host)).toThrow();
  });
  test("the refusal says what is wrong", () => {
    expect(() => checkRegistryHost("https://ghcr.io")).toThrow(/without a scheme/);
    expect(() => checkRegistryHost("ghcr.io/acme")).toThrow(/without a path/);
  });
});

describe("stdin for one command", () => {
  test("the bytes reach the command's standard input, which is then closed", async () => {
    const result = await runProcess(["/bin/cat"], { timeoutMs: 5_000, stdin: new TextEncoder().encode("s3cret\n") });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("s3cret\n");
    expect(result.argv).toEqual(["/bin/cat"]);
  });
  test("without stdin the command reads end-of-file at once", async () => {
    const result = await runProcess(["/bin/cat"], { timeoutMs: 5_000 });
    expect(result.stdout).toBe("");
  });
});
