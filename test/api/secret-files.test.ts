// The token and GitHub token files are never followed through a link, nor used when they are not
// a regular file of ours: the server and `taartenfabriek token` refuse them with a clear error,
// never chmod the target, never print or use its content. Writes replace a link, not its target.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startServer, stopAll } from "../support/server-process.ts";

afterAll(stopAll);

const MAIN = join(ROOT, "src", "main.ts");
const SECRET = "S".repeat(43);

/** A data dir whose `name` is a symlink to a 0644 file holding SECRET. */
function dataDirWithLink(name: string): { dataDir: string; target: string } {
  const scratch = mkdtempSync(join(tmpdir(), "taartenfabriek-link-"));
  const dataDir = join(scratch, "data");
  mkdirSync(dataDir, { mode: 0o700 });
  const target = join(scratch, "elsewhere");
  writeFileSync(target, SECRET + "\n");
  chmodSync(target, 0o644);
  symlinkSync(target, join(dataDir, name));
  return { dataDir, target };
}

function run(args: string[]) {
  const proc = Bun.spawnSync([process.execPath, MAIN, ...args], { timeout: 8_000, env: { ...process.env, HOME: tmpdir() } });
  return { code: proc.exitCode, out: proc.stdout.toString() + proc.stderr.toString() };
}

describe("a symlink at <data-dir>/token", () => {
  test("the server refuses to start; the target is neither chmodded nor used nor printed", () => {
    const { dataDir, target } = dataDirWithLink("token");
    const { code, out } = run(["--port", "0", "--no-open", "--data-dir", dataDir]);
    expect(code).toBe(1);
    expect(out).toContain("token");
    expect(out).toContain("symbolic link");
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain("    at ");
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(lstatSync(join(dataDir, "token")).isSymbolicLink()).toBe(true);
  });

  test("`taartenfabriek token` refuses it too and prints no token", () => {
    const { dataDir, target } = dataDirWithLink("token");
    const { code, out } = run(["token", "--data-dir", dataDir]);
    expect(code).toBe(1);
    expect(out).toContain("symbolic link");
    expect(out).not.toContain(SECRET);
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });
});

describe("a symlink at <data-dir>/github_token", () => {
  test("the server refuses to start with it", () => {
    const { dataDir, target } = dataDirWithLink("github_token");
    const { code, out } = run(["--port", "0", "--no-open", "--data-dir", dataDir]);
    expect(code).toBe(1);
    expect(out).toContain("github_token");
    expect(out).not.toContain(SECRET);
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  test("one planted while the server runs is not read, and saving replaces the link, not its target", async () => {
    const server = await startServer();
    const target = join(server.dataDir, "..", "elsewhere");
    writeFileSync(target, `ghp_${SECRET}\n`);
    symlinkSync(target, join(server.dataDir, "github_token"));
    const status = await server.fetch("/api/settings/github-token");
    expect(status.status).toBe(500);
    const detail = (await status.json()).detail;
    expect(detail).toContain("github_token");
    expect(detail).not.toContain("ghp_");
    const catalogue = await server.fetch("/api/vms/available-images");
    expect(JSON.stringify(await catalogue.json())).not.toContain(SECRET);

    expect((await server.post("/api/settings/github-token", { token: "ghp_replacement_token_0123456789" })).status).toBe(200);
    expect(readFileSync(target, "utf8")).toBe(`ghp_${SECRET}\n`);
    const file = lstatSync(join(server.dataDir, "github_token"));
    expect(file.isFile()).toBe(true);
    expect(file.mode & 0o777).toBe(0o600);
    expect((await server.get("/api/settings/github-token")).masked_token).toBe("ghp_...6789");
    unlinkSync(join(server.dataDir, "github_token"));
  });
});
