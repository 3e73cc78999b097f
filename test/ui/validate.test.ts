// Inline validation mirrors the server's rules for names, OCI references and sizes.
import { describe, expect, test } from "bun:test";
import {
  hasErrors,
  parseWholeNumber,
  splitOciReference,
  suggestVmName,
  validateCpu,
  validateCreateForm,
  validateDisk,
  validateMemory,
  validateOciReference,
  validateVmName,
} from "../../ui/src/lib/validate.ts";

describe("validateVmName", () => {
  test.each(["dev", "a", "my-vm_1.2", "A".repeat(128), "x-"])("accepts %p", (name) => {
    expect(validateVmName(name)).toBeNull();
  });
  test.each([
    ["", "Enter a name."],
    ["-dev", "cannot start"],
    [".dev", "cannot start"],
    [".", "not allowed"],
    ["..", "not allowed"],
    ["has space", "Use only"],
    ["a/b", "Use only"],
    ["ümlaut", "Use only"],
    ["A".repeat(129), "At most 128"],
  ])("rejects %p", (name, message) => {
    expect(validateVmName(name)).toContain(message);
  });
  test("rejects an existing name", () => {
    expect(validateVmName("dev", new Set(["dev"]))).toContain("already exists");
  });
});

describe("numbers", () => {
  test("parseWholeNumber", () => {
    expect(parseWholeNumber("4")).toBe(4);
    expect(parseWholeNumber(" 12 ")).toBe(12);
    expect(parseWholeNumber("1.5")).toBeNull();
    expect(parseWholeNumber("-1")).toBeNull();
    expect(parseWholeNumber("4x")).toBeNull();
    expect(parseWholeNumber("")).toBeNull();
  });
  test("limits", () => {
    expect(validateCpu("1")).toBeNull();
    expect(validateCpu("64")).toBeNull();
    expect(validateCpu("0")).toContain("1 to 64");
    expect(validateCpu("65")).toContain("1 to 64");
    expect(validateMemory("512")).toBeNull();
    expect(validateMemory("513")).toContain("1 to 512 GB");
    expect(validateDisk("4096")).toBeNull();
    expect(validateDisk("4097")).toContain("1 to 4096 GB");
    expect(validateDisk("2.5")).toBe("Enter a whole number.");
    expect(validateMemory("")).toContain("Enter a number");
  });
});

describe("validateOciReference", () => {
  test.each([
    "ghcr.io/cirruslabs/macos-sequoia-base:latest",
    "ghcr.io/cirruslabs/macos-sequoia-base",
    "localhost:5000/img:1.0",
    "registry.example.com:8443/a/b/c_d__e:v1-rc.2",
    `ghcr.io/cirruslabs/ubuntu@sha256:${"a".repeat(64)}`,
    `ghcr.io/o/i:${"t".repeat(128)}`,
  ])("accepts %p", (ref) => {
    expect(validateOciReference(ref)).toBeNull();
  });
  test.each([
    ["", "Enter an OCI reference"],
    ["macos-sequoia-base", "registry host"],
    ["cirruslabs/macos:latest", "not a registry host"],
    ["https://ghcr.io/a/b", "scheme"],
    ["ghcr.io/Cirruslabs/macos", "lowercase"],
    ["ghcr.io/a//b", "empty part"],
    ["ghcr.io/", "repository path"],
    ["ghcr.io/a/b:", "tag after ':' is empty"],
    ["ghcr.io/a/b:.bad", "The tag may use"],
    [`ghcr.io/a/b:${"t".repeat(129)}`, "longer than 128"],
    ["ghcr.io/a/b@sha256:abc", "64 lowercase hex"],
    ["ghcr.io/a b", "spaces"],
  ])("rejects %p", (ref, message) => {
    expect(validateOciReference(ref)).toContain(message);
  });
  test("splitOciReference keeps the port with the host", () => {
    expect(splitOciReference("localhost:5000/a/b:t")).toEqual({ host: "localhost:5000", repository: "a/b", tag: "t", digest: null });
  });
});

describe("create form", () => {
  const ok = { name: "dev", source: "ghcr.io/a/b:latest", cpu: "4", memory: "8", disk: "50" };
  test("valid", () => expect(hasErrors(validateCreateForm(ok, new Set()))).toBe(false));
  test("collects every field error", () => {
    const errors = validateCreateForm({ name: "", source: "", cpu: "0", memory: "999", disk: "x" }, new Set());
    expect(Object.keys(errors).sort()).toEqual(["cpu", "disk", "memory", "name", "source"]);
  });
});

test("suggestVmName derives from the image and stays unique", () => {
  expect(suggestVmName("ghcr.io/cirruslabs/macos-sequoia-base:latest", new Set())).toBe("macos-sequoia-base");
  expect(suggestVmName("ghcr.io/cirruslabs/macos-sequoia-base:latest", new Set(["macos-sequoia-base"]))).toBe("macos-sequoia-base-2");
  expect(validateVmName(suggestVmName(".hidden", new Set()))).toBeNull();
});
