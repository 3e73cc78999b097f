// What may reach tart as a name: local VM names and OCI references (the OCI distribution grammar).
import { describe, expect, test } from "bun:test";
import { checkAnyVmName, checkLocalName, checkRepositoryName, parseOciReference, parseRepositoryName } from "../../src/domain/names.ts";

describe("local VM names", () => {
  test.each(["dev", "runner-1", "macOS_15.2", "a", "_x", "x".repeat(128)])("accepts %p", (name) => {
    expect(checkLocalName(name)).toBe(name);
  });
  test.each([
    "", "-rf", "--help", ".", "..", ".hidden", "a/b", "../etc", "a b", "a\nb", "a\u0000b", "tab\t", "x".repeat(129),
    "dеv" /* Cyrillic е */, "café", "a;rm", "$(id)", "a`b`",
  ])("refuses %p", (name) => {
    expect(() => checkLocalName(name)).toThrow();
  });
});

describe("OCI references", () => {
  test.each([
    ["ghcr.io/cirruslabs/macos-sequoia-base:latest", { host: "ghcr.io", repository: "cirruslabs/macos-sequoia-base", tag: "latest" }],
    ["ghcr.io/cirruslabs/macos-sequoia-base", { tag: null }],
    [`ghcr.io/a/b@sha256:${"a".repeat(64)}`, { digest: `sha256:${"a".repeat(64)}` }],
    ["localhost:5000/my/image:1.0", { host: "localhost:5000" }],
    ["registry.example.com:443/x/y__z:T_1.2-3", { repository: "x/y__z" }],
  ] as const)("parses %p", (ref, expected) => {
    expect(parseOciReference(ref)).toMatchObject(expected);
  });
  test.each([
    "ubuntu", "ubuntu:latest", "ghcr.io/Cirruslabs/Image:latest", "ghcr.io/a/b:" + "t".repeat(129), "ghcr.io/a/b:-tag",
    "ghcr.io/a/b@sha256:short", "ghcr.io//b", "ghcr.io/a/b:la test", "-ghcr.io/a/b", "ghcr.io/a/b\n", "ghcr.io/../b", "ghcr.io/a/b:tag:tag",
  ])("refuses %p", (ref) => {
    expect(parseOciReference(ref)).toBeNull();
  });
  test("a name with / must be a valid reference", () => {
    expect(() => checkAnyVmName("a/b")).toThrow(/OCI reference/);
    expect(checkAnyVmName("ghcr.io/a/b:1")).toBe("ghcr.io/a/b:1");
  });
});

describe("repositories (the catalogue's added ones)", () => {
  test.each([
    ["ghcr.io/acme/builder", { host: "ghcr.io", repository: "acme/builder" }],
    ["localhost:5000/team/macos-base", { host: "localhost:5000", repository: "team/macos-base" }],
    ["127.0.0.1:8080/a/b/c", { host: "127.0.0.1:8080", repository: "a/b/c" }],
  ] as const)("takes %p", (text, expected) => {
    expect(parseRepositoryName(text)).toEqual(expected);
  });
  test.each(["ghcr.io/acme/builder:latest", `ghcr.io/acme/builder@sha256:${"a".repeat(64)}`, "acme/builder", "ghcr.io/Acme/builder", "https://ghcr.io/acme/x", ""])(
    "refuses %p",
    (text) => {
      expect(parseRepositoryName(text)).toBeNull();
      expect(() => checkRepositoryName(text, "repositories.0")).toThrow(/^repositories\.0: /);
    },
  );
  test("a tag is named as the problem", () => {
    expect(() => checkRepositoryName("ghcr.io/acme/builder:1.0")).toThrow('repository: "ghcr.io/acme/builder:1.0" names a tag; give the repository alone, e.g. ghcr.io/acme/builder');
  });
});
