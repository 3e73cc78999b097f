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
  fieldOfDetail,
  minimumDiskGb,
} from "../../ui/src/lib/validate.ts";
import { checkLocalName, parseOciReference } from "../../src/domain/names.ts";

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
  test("rejects an existing name, ignoring case like the server does", () => {
    expect(validateVmName("dev", new Set(["dev"]))).toContain("already exists");
    expect(validateVmName("Dev", new Set(["dev"]))).toContain('"dev" already exists');
  });
  test("agrees with the server's name rule", () => {
    for (const name of ["dev", "_x", "a.b-c", "-x", ".x", "x y", "", "a/b"]) {
      let server = true;
      try {
        checkLocalName(name);
      } catch {
        server = false;
      }
      expect(validateVmName(name) === null).toBe(server);
    }
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
  test("the verdict is the server's: what it accepts, the UI accepts", () => {
    for (const ref of ["[::1]:5000/x/y", "[::1]:5000/x/y:tag", "127.0.0.1:5000/a/b", "localhost/x"]) {
      expect(validateOciReference(ref)).toBeNull();
      expect(parseOciReference(ref)).not.toBeNull();
    }
    expect(validateOciReference(`ghcr.io/o/i:${"t".repeat(129)}`)).not.toBeNull();
  });
  test("splitOciReference keeps the port with the host", () => {
    expect(splitOciReference("localhost:5000/a/b:t")).toEqual({ host: "localhost:5000", repository: "a/b", tag: "t", digest: null });
  });
});

describe("create form", () => {
  const ok = { name: "dev", source: "ghcr.io/a/b:latest", cpu: "4", memory: "8", disk: "50" };
  const none = { existing: new Set<string>() };
  test("valid", () => expect(hasErrors(validateCreateForm(ok, none))).toBe(false));
  test("collects every field error", () => {
    const errors = validateCreateForm({ name: "", source: "", cpu: "0", memory: "999", disk: "x" }, none);
    expect(Object.keys(errors).sort()).toEqual(["cpu", "disk", "memory", "name", "source"]);
  });
  test("refuses more cores or memory than the host has, and a disk smaller than the source's", () => {
    const context = { existing: new Set<string>(), host: { cpu_cores: 8, memory_gb: 16 }, sourceDiskGb: 50 };
    expect(validateCreateForm({ ...ok, cpu: "8", memory: "16", disk: "50" }, context)).toEqual({});
    const errors = validateCreateForm({ ...ok, cpu: "9", memory: "17", disk: "20" }, context);
    expect(errors.cpu).toContain("at most 8");
    expect(errors.memory).toContain("at most 16 GB");
    expect(errors.disk).toContain("50 or more");
    // The server's bounds still come first.
    expect(validateCreateForm({ ...ok, cpu: "65" }, context).cpu).toContain("1 to 64");
  });
  test("a macOS source needs 4 cores and 4 GB, as tart says", () => {
    const macos = { existing: new Set<string>(), sourceOs: "darwin" };
    expect(validateCreateForm({ ...ok, cpu: "2", memory: "2" }, macos)).toMatchObject({ cpu: expect.stringContaining("at least 4 cores"), memory: expect.stringContaining("4 GB") });
    expect(validateCreateForm({ ...ok, cpu: "2", memory: "2" }, { ...macos, sourceOs: "linux" })).toEqual({});
  });
  test("minimumDiskGb rounds up what the list reports", () => {
    expect(minimumDiskGb(50)).toBe(50);
    expect(minimumDiskGb(50.2)).toBe(51);
    expect(minimumDiskGb("70G")).toBe(70);
    expect(minimumDiskGb(null)).toBeNull();
    expect(minimumDiskGb("big")).toBeNull();
  });
  test("fieldOfDetail places a server refusal next to its field", () => {
    expect(fieldOfDetail("disk_size: must be at least 50")).toBe("disk");
    expect(fieldOfDetail("cpu: this host has 2 cores")).toBe("cpu");
    expect(fieldOfDetail("source VM busy")).toBeNull();
  });
});

test("suggestVmName derives from the image and stays unique", () => {
  expect(suggestVmName("ghcr.io/cirruslabs/macos-sequoia-base:latest", new Set())).toBe("macos-sequoia-base");
  expect(suggestVmName("ghcr.io/cirruslabs/macos-sequoia-base:latest", new Set(["macos-sequoia-base"]))).toBe("macos-sequoia-base-2");
  expect(validateVmName(suggestVmName(".hidden", new Set()))).toBeNull();
});
