// The fake tart's prune, login and logout against real tart 2.32.1's (Prune.swift, Login.swift,
// Logout.swift): what prune removes by access date and by space budget, its usage errors, and
// login's password on stdin, its validation against the registry_logins knob and its Keychain
// stand-in. Each test gets its own TART_HOME.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedTartHome } from "./support/fake-tart/seed.ts";
import { bunBinDir } from "./support/server-process.ts";

const TART = join(import.meta.dir, "support/fake-tart/tart");
const PATH = `${bunBinDir()}:${process.env.PATH}`;
const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

function newHome(knobs: object = {}): string {
  const home = mkdtempSync(join(tmpdir(), "fake-tart-hk-"));
  homes.push(home);
  writeFileSync(join(home, "fake-tart.json"), JSON.stringify(knobs));
  return home;
}

function tart(home: string, args: string[], stdin?: string) {
  const p = Bun.spawnSync([TART, ...args], {
    env: { PATH, HOME: home, TART_HOME: home },
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { out: p.stdout.toString(), err: p.stderr.toString(), code: p.exitCode };
}

const age = (path: string, days: number) => {
  const at = Math.floor(Date.now() / 1000) - days * 86_400;
  utimesSync(path, at, at);
};
const digestOf = (home: string, n: number) => {
  const repo = join(home, "cache", "OCIs", "ghcr.io", "cirruslabs", `seed-image-${n}`);
  return join(repo, readdirSync(repo).find((name) => name.startsWith("sha256:"))!);
};
const listNames = (home: string) => JSON.parse(tart(home, ["list", "--format", "json"]).out).map((e: { Name: string }) => e.Name);

describe("prune", () => {
  test("without a criterion: tart's ValidationError, exit 64", () => {
    const r = tart(newHome(), ["prune"]);
    expect(r.code).toBe(64);
    expect(r.err).toBe("Error: at least one pruning criteria must be specified\nUsage: tart prune [--entries <entries>] [--older-than <n>] [--space-budget <n>]\n  See 'tart prune --help' for more information.\n");
  });

  test("an unknown --entries is refused from run(), with the root usage", () => {
    const r = tart(newHome(), ["prune", "--entries", "all", "--older-than", "1"]);
    expect(r.code).toBe(64);
    expect(r.err).toBe('Error: unsupported --entries value, please specify either "caches" or "vms"\nUsage: tart <subcommand>\n  See \'tart --help\' for more information.\n');
  });

  test("--older-than removes the digests last used that long ago; their tags dangle and list skips them", () => {
    const home = newHome();
    seedTartHome({ home, oci: 2 });
    age(digestOf(home, 1), 10);
    const r = tart(home, ["prune", "--older-than", "7"]);
    expect(r).toEqual({ out: "", err: "", code: 0 });
    expect(listNames(home).filter((n: string) => n.includes("seed-image-1"))).toEqual([]);
    expect(listNames(home).filter((n: string) => n.includes("seed-image-2")).length).toBe(2);
  });

  test("--space-budget keeps the newest that fit, IPSWs included; 0 removes everything", () => {
    const home = newHome();
    seedTartHome({ home, oci: 1 });
    mkdirSync(join(home, "cache", "IPSWs"), { recursive: true });
    const ipsw = join(home, "cache", "IPSWs", "a.ipsw");
    writeFileSync(ipsw, Buffer.alloc(100_000, 1));
    expect(tart(home, ["prune", "--space-budget", "1"]).code).toBe(0);
    expect(existsSync(ipsw)).toBe(true);
    expect(tart(home, ["prune", "--space-budget", "0"]).code).toBe(0);
    expect(existsSync(ipsw)).toBe(false);
    expect(listNames(home)).toEqual([]);
  });

  test("--entries vms removes local VMs that are not running, never a running one", () => {
    const home = newHome();
    seedTartHome({ home, local: 3, running: 1 });
    for (const vm of ["vm-0001", "vm-0002", "vm-0003"]) age(join(home, "vms", vm), 5);
    expect(tart(home, ["prune", "--entries", "vms", "--older-than", "1"]).code).toBe(0);
    expect(readdirSync(join(home, "vms"))).toEqual(["vm-0001"]);
  });

  test("--cache-budget is the deprecated spelling, with a warning", () => {
    const home = newHome();
    const r = tart(home, ["prune", "--cache-budget", "5"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("--cache-budget is deprecated, please use --space-budget\n");
  });
});

describe("login and logout", () => {
  test("the password comes on stdin, trailing newlines trimmed, into the Keychain stand-in", () => {
    const home = newHome();
    const r = tart(home, ["login", "registry.example.com:5000", "--username", "ci", "--password-stdin"], "s3cret pass\n\n");
    expect(r).toEqual({ out: "", err: "", code: 0 });
    expect(JSON.parse(readFileSync(join(home, "fake-keychain.json"), "utf8"))).toEqual({ "registry.example.com:5000": { user: "ci", password: "s3cret pass" } });
    expect(readFileSync(join(home, "argv.log"), "utf8")).not.toContain("s3cret");
  });

  test("--username without --password-stdin is a usage error", () => {
    const r = tart(newHome(), ["login", "x.io", "--username", "ci"]);
    expect(r.code).toBe(64);
    expect(r.err).toStartWith("Error: both --username and --password-stdin are required\nUsage: tart login <host>");
  });

  test("a registry that checks credentials refuses the wrong ones; --no-validate skips the check", () => {
    const home = newHome({ registry_logins: { "secure.example.com": { alice: "right" } } });
    const wrong = tart(home, ["login", "secure.example.com", "--username", "alice", "--password-stdin"], "wrong");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe('invalid credentials: UnexpectedHTTPStatusCode(when: "doing ping", code: 401, details: "")\n');
    expect(existsSync(join(home, "fake-keychain.json"))).toBe(false);
    expect(tart(home, ["login", "secure.example.com", "--username", "alice", "--password-stdin"], "right").code).toBe(0);
    expect(tart(home, ["login", "secure.example.com", "--username", "bob", "--password-stdin", "--no-validate"], "x").code).toBe(0);
  });

  test("a host with a scheme is an improperly formatted host", () => {
    const r = tart(newHome(), ["login", "https://x.io", "--username", "u", "--password-stdin"], "p");
    expect(r.code).toBe(1);
    expect(r.err).toBe('improperly formatted host "https://x.io" was provided, make sure that it doesn\'t start with http:// or https://\n');
  });

  test("logout removes the host's credentials and succeeds when there were none", () => {
    const home = newHome();
    tart(home, ["login", "a.io", "--username", "u", "--password-stdin"], "p");
    expect(tart(home, ["logout", "a.io"])).toEqual({ out: "", err: "", code: 0 });
    expect(JSON.parse(readFileSync(join(home, "fake-keychain.json"), "utf8"))).toEqual({});
    expect(tart(home, ["logout", "never.io"]).code).toBe(0);
  });
});
