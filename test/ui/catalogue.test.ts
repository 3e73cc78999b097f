// The Pull dialog's catalogue helpers: OS groups, a bare name offered as its full reference,
// the newest tags' labels, the VM count, and the repository field's checks in Settings.
import { describe, expect, test } from "bun:test";
import type { VmImage } from "../../ui/src/api/types.ts";
import { bareNameSuggestions, groupByOs, localVmsFor, newestTags, tagChipLabel, vmCountLabel } from "../../ui/src/lib/catalogue.ts";
import { validateRepository } from "../../ui/src/lib/validate.ts";

const image = (url: string, os: VmImage["os"], extra: Partial<VmImage> = {}): VmImage => ({
  name: url.replace(/^ghcr\.io\/cirruslabs\//, "").replace(/:[^/]*$/, ""),
  url,
  description: null,
  tags: ["latest"],
  updated_at: null,
  os,
  source: "built-in",
  tag_details: {},
  checked_at: null,
  error: null,
  pulled_tags: [],
  local_vms: [],
  ...extra,
});
const images = [
  image("ghcr.io/cirruslabs/ubuntu:latest", "linux", { tags: ["latest", "24.04", "22.04"] }),
  image("ghcr.io/cirruslabs/macos-sequoia-base:latest", "darwin"),
  image("ghcr.io/cirruslabs/ubuntu-amd64:latest", "linux"),
  image("localhost:5000/team/tools:latest", null, { source: "added", name: "localhost:5000/team/tools" }),
  image("ghcr.io/cirruslabs/macos-sequoia-xcode:16.4", "darwin", { tags: ["16.4", "16.3"] }),
];

describe("groups", () => {
  test("macOS, Linux, then the rest, each in the list's order; empty groups left out", () => {
    expect(groupByOs(images).map((g) => [g.label, g.images.map((i) => i.name)])).toEqual([
      ["macOS", ["macos-sequoia-base", "macos-sequoia-xcode"]],
      ["Linux", ["ubuntu", "ubuntu-amd64"]],
      ["Other", ["localhost:5000/team/tools"]],
    ]);
    expect(groupByOs(images.slice(0, 1)).map((g) => g.key)).toEqual(["linux"]);
  });
});

describe("a bare name typed as the reference", () => {
  const offered = (text: string) => bareNameSuggestions(text, images).map((s) => s.reference);
  test("the exact name first, then the names it starts; the image's own tag when none is typed", () => {
    expect(offered("macos-sequoia-base")).toEqual(["ghcr.io/cirruslabs/macos-sequoia-base:latest"]);
    expect(offered("ubuntu")).toEqual(["ghcr.io/cirruslabs/ubuntu:latest", "ghcr.io/cirruslabs/ubuntu-amd64:latest"]);
    expect(offered("macos-sequoia")).toEqual(["ghcr.io/cirruslabs/macos-sequoia-base:latest", "ghcr.io/cirruslabs/macos-sequoia-xcode:16.4"]);
    expect(offered("  Tools ")).toEqual(["localhost:5000/team/tools:latest"]);
  });
  test("a typed tag is kept", () => {
    expect(offered("macos-sequoia-base:26.1")).toEqual(["ghcr.io/cirruslabs/macos-sequoia-base:26.1"]);
  });
  test("nothing for a reference, an empty text, an unknown name or a bad tag", () => {
    for (const text of ["", "ghcr.io/cirruslabs/ubuntu", "zzz", "ubuntu:", "ubuntu:-x", "ubuntu@sha256:x"]) expect(offered(text)).toEqual([]);
  });
});

describe("tags and counts", () => {
  const withDetails = image("ghcr.io/cirruslabs/ubuntu:latest", "linux", {
    tags: ["latest", "24.04", "22.04"],
    tag_details: {
      "22.04": { download_bytes: 2 * 1024 ** 3, disk_bytes: 20 * 1024 ** 3, uploaded_at: "2026-01-01T00:00:00Z" },
      latest: { download_bytes: null, disk_bytes: null, uploaded_at: null },
      gone: { download_bytes: 1, disk_bytes: 1, uploaded_at: null },
    },
    local_vms: ["a", "b"],
  });
  test("the newest tags are those with details, in the tag order, only tags that can be picked", () => {
    expect(newestTags(withDetails)).toEqual(["latest", "22.04"]);
    expect(tagChipLabel(withDetails, "22.04", Date.parse("2026-01-04T00:00:00Z"))).toBe("22.04 · 2.0 GB · 3 days ago");
    expect(tagChipLabel(withDetails, "latest", 0)).toBe("latest");
  });
  test("the local VMs of an image, found by any reference into its repository", () => {
    expect(localVmsFor([withDetails], `ghcr.io/cirruslabs/ubuntu@sha256:${"a".repeat(64)}`)).toEqual(["a", "b"]);
    expect(localVmsFor([withDetails], "ghcr.io/cirruslabs/debian:latest")).toEqual([]);
    expect([vmCountLabel(1), vmCountLabel(2)]).toEqual(["1 VM", "2 VMs"]);
  });
});

describe("the repository field in Settings", () => {
  test.each([
    ["ghcr.io/acme/builder", null],
    [" localhost:5000/team/tools ", null],
    ["", "Enter a repository"],
    ["ghcr.io/acme/builder:latest", "Leave out the tag"],
    [`ghcr.io/acme/builder@sha256:${"a".repeat(64)}`, "Leave out the digest"],
    ["https://ghcr.io/acme/builder", "Leave out the scheme"],
    ["ghcr.io/Acme/builder", "lowercase"],
    ["acme/builder", "not a registry host"],
    ["ghcr.io", "e.g. ghcr.io/owner/image"],
    ["GHCR.io/acme/added", "already in the list"],
  ] as const)("%p", (text, expected) => {
    const problem = validateRepository(text, ["ghcr.io/acme/added"]);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});
