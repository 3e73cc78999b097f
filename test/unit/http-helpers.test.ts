// Small HTTP pieces: the Host and Origin tables of the guard, VM paths with OCI names, GitHub's Link header,
// the GitHub token mask, If-None-Match.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ifNoneMatchHits } from "../../src/http/conditional.ts";
import { RequestGuard } from "../../src/http/guard.ts";
import { splitVmPath } from "../../src/http/routes/vm-by-name.ts";
import { nextLink } from "../../src/adapters/catalogue/link-header.ts";
import { mask } from "../../src/storage/github-token.ts";
import { SecretFile } from "../../src/storage/secret-file.ts";

describe("Host check", () => {
  const dir = mkdtempSync(join(tmpdir(), "guard-"));
  writeFileSync(join(dir, "token"), "t".repeat(43));
  const guard = new RequestGuard({ tokenFile: new SecretFile(join(dir, "token")), initialToken: "t".repeat(43), allowedHosts: ["mymac.local"], port: () => 8000 });
  test.each([
    ["127.0.0.1:8000", true], ["localhost:8000", true], ["LOCALHOST:8000", true], ["[::1]:8000", true], ["mymac.local:8000", true],
    ["127.0.0.1", false], ["127.0.0.1:8001", false], ["evil.com:8000", false], ["127.0.0.1.evil.com:8000", false],
    ["localhost:8000@evil", false], ["", false], [null, false],
  ] as const)("%p → %p", (host, allowed) => {
    expect(guard.hostAllowed(host)).toBe(allowed);
  });

  test.each([
    ["http://127.0.0.1:8000", true], ["http://localhost:8000", true], ["http://[::1]:8000", true], ["http://mymac.local:8000", true],
    ["https://127.0.0.1:8000", false], ["ws://127.0.0.1:8000", false], ["http://127.0.0.1:8001", false], ["http://127.0.0.1", false],
    ["http://127.0.0.1:8000/", false], ["http://user@127.0.0.1:8000", false], ["null", false], ["", false],
  ] as const)("Origin %p → %p", (origin, allowed) => {
    expect(guard.originAllowed(origin)).toBe(allowed);
  });
});

describe("VM paths", () => {
  test.each([
    ["/api/vms/dev", "dev", null],
    ["/api/vms/dev/config", "dev", "config"],
    ["/api/vms/ghcr.io/cirruslabs/x:latest/start", "ghcr.io/cirruslabs/x:latest", "start"],
    ["/api/vms/ghcr.io%2Fcirruslabs%2Fx%3Alatest/clone", "ghcr.io/cirruslabs/x:latest", "clone"],
    ["/api/vms/ghcr.io/cirruslabs/x:latest", "ghcr.io/cirruslabs/x:latest", null],
    ["/api/vms/start", "start", null],
  ])("%p", (path, name, action) => {
    expect(splitVmPath(path)).toEqual({ name, action });
  });
  test("bad percent-encoding is a validation error", () => {
    expect(() => splitVmPath("/api/vms/%E0%A4%A")).toThrow(/percent-encoding/);
  });
});

describe("GitHub", () => {
  test("Link rel=next", () => {
    expect(nextLink('<https://api.github.com/organizations/1/packages?page=2>; rel="next", <https://x?page=9>; rel="last"')).toBe(
      "https://api.github.com/organizations/1/packages?page=2",
    );
    expect(nextLink('<https://x?page=9>; rel="last"')).toBeNull();
    expect(nextLink(null)).toBeNull();
    // GHCR's are relative to the registry.
    expect(nextLink('</v2/a/b/tags/list?last=x&n=100>; rel="next"', "https://ghcr.io")).toBe("https://ghcr.io/v2/a/b/tags/list?last=x&n=100");
  });
  test("mask shows at most 4 + 4 characters", () => {
    expect(mask("ghp_abcdefghijklmnopqrstuvwxyz0123")).toBe("ghp_...0123");
    expect(mask("short")).toBe("****");
  });
});

describe("If-None-Match", () => {
  test.each([
    ['"abc"', true], ['W/"abc"', true], ['"x", "abc"', true], ['"x",W/"abc"', true], ["*", true], [" * ", true],
    ['"abcd"', false], ['"ab"', false], ["abc", false], ['"x"', false], ["", false], [null, false],
  ])("%p against \"abc\" is %p", (header, hits) => {
    expect(ifNoneMatchHits(header, '"abc"')).toBe(hits);
  });
});
