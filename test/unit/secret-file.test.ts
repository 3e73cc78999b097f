// SecretFile refuses what is not a regular file owned by this user, and never follows a link.
import { describe, expect, test } from "bun:test";
import { chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretFile } from "../../src/storage/secret-file.ts";

const dir = () => mkdtempSync(join(tmpdir(), "secret-file-"));

describe("SecretFile", () => {
  test("a regular file of ours is read, trimmed", () => {
    const path = join(dir(), "token");
    writeFileSync(path, "  abc \n", { mode: 0o600 });
    expect(new SecretFile(path).read()).toBe("abc");
  });

  test("a missing file is null", () => {
    expect(new SecretFile(join(dir(), "token")).read()).toBeNull();
  });

  test("a symlink is refused, dangling or not", () => {
    const base = dir();
    writeFileSync(join(base, "target"), "secret");
    symlinkSync(join(base, "target"), join(base, "token"));
    symlinkSync(join(base, "nowhere"), join(base, "dangling"));
    expect(() => new SecretFile(join(base, "token")).read()).toThrow("symbolic link");
    expect(() => new SecretFile(join(base, "dangling")).read()).toThrow("symbolic link");
  });

  test("a directory is refused", () => {
    const base = dir();
    mkdirSync(join(base, "token"));
    expect(() => new SecretFile(join(base, "token")).read()).toThrow("not a regular file");
  });

  test.skipIf(process.getuid?.() !== 0)("a file owned by another user is refused (needs root to chown)", () => {
    const path = join(dir(), "token");
    writeFileSync(path, "secret", { mode: 0o600 });
    chownSync(path, 65534, 65534);
    expect(() => new SecretFile(path).read()).toThrow("owned by");
  });

  test("write replaces a symlink with a 0600 file and leaves its target alone", () => {
    const base = dir();
    writeFileSync(join(base, "target"), "old");
    symlinkSync(join(base, "target"), join(base, "token"));
    new SecretFile(join(base, "token")).write("new");
    expect(readFileSync(join(base, "target"), "utf8")).toBe("old");
    expect(lstatSync(join(base, "token")).isFile()).toBe(true);
    expect(lstatSync(join(base, "token")).mode & 0o777).toBe(0o600);
    expect(new SecretFile(join(base, "token")).read()).toBe("new");
  });
});
