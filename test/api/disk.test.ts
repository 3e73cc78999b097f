// A data dir that fills up while the server runs: task history and logs cannot be written, the
// server says so once and keeps serving, and tasks still run and report in memory. (A tmpfs of a
// few hundred KiB; mounting needs root, which CI has.)
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, stopAll } from "../support/server-process.ts";

const mountPoint = mkdtempSync(join(tmpdir(), "taartenfabriek-tinyfs-"));
const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", mountPoint]).exitCode === 0;
afterAll(async () => {
  await stopAll();
  if (mounted) Bun.spawnSync(["umount", "-l", mountPoint]);
});

describe.skipIf(!mounted)("data dir full", () => {
  test("the server keeps serving and tasks still finish", async () => {
    const dataDir = join(mountPoint, "data");
    mkdirSync(dataDir);
    const server = await startServer({ dataDir, seed: { local: 1 } });
    // Fill the file system to the last byte.
    try {
      writeFileSync(join(mountPoint, "filler"), Buffer.alloc(1024 * 1024));
    } catch {
      // ENOSPC: full, as intended
    }
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
