// A data dir that fills up while the server runs: task history and logs cannot be written, the
// server says so once and keeps serving, and tasks still run and report in memory; saving the
// GitHub token is a 507 naming the data dir. (A tmpfs of a few hundred KiB; mounting needs root,
// which CI has.)
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, stopAll } from "../support/server-process.ts";

/** A fresh tmpfs of 400 KiB, or null where mounting is not allowed. */
function tinyFs(): string | null {
  const dir = mkdtempSync(join(tmpdir(), "taartenfabriek-tinyfs-"));
  return Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", dir]).exitCode === 0 ? dir : null;
}

/** Fills the file system holding `dir` to the last byte. */
function fill(dir: string): void {
  try {
    writeFileSync(join(dir, "filler"), Buffer.alloc(1024 * 1024));
  } catch {
    // ENOSPC: full, as intended
  }
}

const mountPoint = tinyFs() ?? "";
const mounted = mountPoint !== "";
const secondMount = mounted ? tinyFs() : null;
afterAll(async () => {
  await stopAll();
  for (const dir of [mountPoint, secondMount]) if (dir) Bun.spawnSync(["umount", "-l", dir]);
});

describe.skipIf(!mounted)("data dir full", () => {
  test("the server keeps serving and tasks still finish", async () => {
    const dataDir = join(mountPoint, "data");
    mkdirSync(dataDir);
    const server = await startServer({ dataDir, seed: { local: 1 } });
    fill(mountPoint);
    const task = await (await server.post("/api/vms/pull", { oci_url: "ghcr.io/cirruslabs/ubuntu:latest" })).json();
    const done = await server.waitTask(task.id);
    expect(done.status).toBe("completed");
    expect(done.logs).toContain("100%");
    await server.waitForOutput(/warning: cannot (save task history|write the log)/);
    expect((await server.fetch("/api/health")).status).toBe(200);
    expect((await server.fetch("/api/vms")).status).toBe(200);
    await server.stop();
  });

  test("a data dir that cannot be written at start is a clear one-line error", async () => {
    const proc = Bun.spawnSync([process.execPath, join(import.meta.dir, "..", "..", "src", "main.ts"), "--port", "0", "--no-open", "--data-dir", join(mountPoint, "new-dir")]);
    expect(proc.exitCode).toBe(1);
    const stderr = proc.stderr.toString();
    expect(stderr).toContain("cannot use the data dir");
    expect(stderr).not.toContain("    at ");
  });
});

describe.skipIf(!secondMount)("data dir full while saving the GitHub token", () => {
  test("507 naming the data dir, no stack trace in the log, and the server keeps serving", async () => {
    const dataDir = join(secondMount!, "data");
    mkdirSync(dataDir);
    const server = await startServer({ dataDir });
    fill(secondMount!);
    const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const response = await server.post("/api/settings/github-token", { token });
    expect(response.status).toBe(507);
    const detail = (await response.json()).detail;
    expect(detail).toContain(dataDir);
    expect(detail).not.toContain("abcdefgh");
    await Bun.sleep(100);
    expect(server.output()).not.toContain("    at ");
    expect(server.output()).not.toContain("abcdefgh");
    expect(await server.get("/api/settings/github-token")).toMatchObject({ configured: false });
    expect((await server.fetch("/api/health")).status).toBe(200);
    await server.stop();
  });
});
