// The release files and the two ways to install them, against a local HTTP server standing in
// for the download host: release() writes the archives, SHA256SUMS and the filled formula;
// install.sh (run with bash in a temp HOME) picks the platform, checks the sum and installs;
// the formula's url and sha256 are what the server serves, and Ruby accepts its syntax.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { release } from "../../src/release/release.ts";
import { formulaFields } from "../../src/release/formula.ts";
import { SignatureError } from "../../src/release/macho-signature.ts";
import { ROOT } from "../support/server-process.ts";
import { signedMachO } from "./macho-fixture.ts";

const scratch = mkdtempSync(join(tmpdir(), "release-test-"));
const dist = join(scratch, "dist");
const formula = join(scratch, "taartenfabriek.rb");
const linuxBinary = join(scratch, "linux-build");
const darwinBinary = join(scratch, "darwin-build");
let server: ReturnType<typeof Bun.serve>;
let baseUrl: string;
/** What the download host serves instead of the real file, by name (a corrupted mirror). */
const overrides = new Map<string, string>();
const log: string[] = [];

beforeAll(async () => {
  mkdirSync(dist);
  copyFileSync(join(ROOT, "Formula", "taartenfabriek.rb"), formula);
  writeFileSync(linuxBinary, "#!/bin/sh\necho 9.9.9\n");
  writeFileSync(darwinBinary, signedMachO({ withRequirements: true }));
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const name = new URL(request.url).pathname.replace(/^\/download\//, "");
      if (overrides.has(name)) return new Response(overrides.get(name));
      const file = join(dist, name);
      return existsSync(file) && !name.includes("/") ? new Response(Bun.file(file)) : new Response("Not Found", { status: 404 });
    },
  });
  baseUrl = `http://127.0.0.1:${server.port}/download`;
  await release({ dist, binaries: { "darwin-arm64": darwinBinary, "linux-x64": linuxBinary }, version: "9.9.9", baseUrl, formula, log: (line) => log.push(line) });
});
afterAll(() => server.stop(true));

describe("release()", () => {
  test("writes an archive per platform with the binary as an executable taartenfabriek, and SHA256SUMS that sha256sum accepts", () => {
    for (const platform of ["darwin-arm64", "linux-x64"]) {
      const listing = Bun.spawnSync(["tar", "-tvzf", join(dist, `taartenfabriek-${platform}.tar.gz`)]).stdout.toString().trim();
      expect(listing).toMatch(/^-rwxr-xr-x .* taartenfabriek$/);
    }
    const check = Bun.spawnSync(["sha256sum", "-c", "SHA256SUMS"], { cwd: dist });
    expect(check.stdout.toString()).toBe("taartenfabriek-darwin-arm64.tar.gz: OK\ntaartenfabriek-linux-x64.tar.gz: OK\n");
    expect(check.exitCode).toBe(0);
    expect(log[0]).toBe("release: darwin-arm64 signature checked: 4 pages of 4096 bytes match their sha256 hashes");
  });

  test("fills the formula with the darwin archive's URL, sum and the version", async () => {
    const fields = formulaFields(readFileSync(formula, "utf8"));
    expect(fields).toEqual({
      url: `${baseUrl}/taartenfabriek-darwin-arm64.tar.gz`,
      sha256: readFileSync(join(dist, "SHA256SUMS"), "utf8").split("\n")[0]!.split("  ")[0],
      version: "9.9.9",
    });
    // What Homebrew does with it: download the url, compare the sum.
    const downloaded = new Uint8Array(await (await fetch(fields.url!)).arrayBuffer());
    expect(new Bun.CryptoHasher("sha256").update(downloaded).digest("hex")).toBe(fields.sha256!);
  });

  test("the filled formula is valid Ruby (ruby -c)", () => {
    const checked = Bun.spawnSync(["ruby", "-c", formula]);
    expect(checked.stdout.toString().trim()).toBe("Syntax OK");
  });

  test("a darwin binary whose signature does not match fails the release before anything is written", async () => {
    const out = mkdtempSync(join(tmpdir(), "release-bad-"));
    const bad = signedMachO();
    bad[5000]! ^= 0x01;
    writeFileSync(join(out, "darwin"), bad);
    const untouched = join(out, "formula.rb");
    copyFileSync(join(ROOT, "Formula", "taartenfabriek.rb"), untouched);
    const run = release({ dist: out, binaries: { "darwin-arm64": join(out, "darwin") }, version: "1.0.0", baseUrl, formula: untouched, log: () => {} });
    expect(run).rejects.toThrow(SignatureError);
    await run.catch(() => {});
    expect(existsSync(join(out, "SHA256SUMS"))).toBe(false);
    expect(readFileSync(untouched, "utf8")).toBe(readFileSync(join(ROOT, "Formula", "taartenfabriek.rb"), "utf8"));
  });
});

describe("install.sh", () => {
  // Async: the download host runs in this process, and a spawnSync would block it from answering.
  async function install(extraPath = "", env: Record<string, string> = {}) {
    const home = mkdtempSync(join(tmpdir(), "install-home-"));
    const proc = Bun.spawn(["bash", join(ROOT, "install.sh")], {
      env: { HOME: home, PATH: `${extraPath}/usr/bin:/bin`, TAARTENFABRIEK_BASE_URL: baseUrl, ...env },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { home, code, stdout, stderr, installed: join(home, ".local", "bin", "taartenfabriek") };
  }

  test("on Linux x86-64 it installs the linux-x64 binary into ~/.local/bin", async () => {
    const result = await install();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readFileSync(result.installed, "utf8")).toBe(readFileSync(linuxBinary, "utf8"));
    expect(statSync(result.installed).mode & 0o777).toBe(0o755);
    expect(result.stdout).toContain(`Installed taartenfabriek 9.9.9 to ${result.installed}`);
    expect(result.stdout).toContain(`Add ${join(result.home, ".local", "bin")} to your PATH`);
  });

  test("on a Mac with Apple Silicon it installs the darwin-arm64 binary", async () => {
    const bin = mkdtempSync(join(tmpdir(), "fake-uname-"));
    // uname as macOS prints it: -s Darwin, -m arm64.
    writeFileSync(join(bin, "uname"), '#!/bin/sh\ncase "$1" in -s) echo Darwin ;; -m) echo arm64 ;; *) echo Darwin ;; esac\n');
    chmodSync(join(bin, "uname"), 0o755);
    const result = await install(`${bin}:`);
    expect(result.code).toBe(0);
    expect(new Uint8Array(readFileSync(result.installed))).toEqual(new Uint8Array(readFileSync(darwinBinary)));
  });

  test("TAARTENFABRIEK_INSTALL_DIR picks the folder", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "install-dir-")), "bin");
    const result = await install("", { TAARTENFABRIEK_INSTALL_DIR: dir });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, "taartenfabriek"))).toBe(true);
  });

  test("an archive whose sum does not match is not installed", async () => {
    overrides.set("taartenfabriek-linux-x64.tar.gz", "not the archive");
    const result = await install();
    overrides.clear();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the download's SHA-256 is [0-9a-f]{64} but SHA256SUMS says [0-9a-f]{64}: not installed/);
    expect(existsSync(result.installed)).toBe(false);
  });

  test("a missing file on the host fails with the URL", async () => {
    const result = await install("", { TAARTENFABRIEK_BASE_URL: `${baseUrl}/nowhere` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not download ${baseUrl}/nowhere/taartenfabriek-linux-x64.tar.gz`);
  });
});
