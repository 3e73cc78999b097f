// The catalogue's merge rules, with the registry and GitHub as in-memory stand-ins: GitHub adds
// only what the registry list lacks, a GitHub failure costs only those extras, and each image
// says which of its tags tart already holds.
import { expect, test } from "bun:test";
import { AppError } from "../../src/domain/errors.ts";
import { ImageCatalogue, type RegistryEntry } from "../../src/domain/image-catalogue.ts";
import type { CatalogueImage } from "../../src/domain/ports.ts";
import type { Vm } from "../../src/domain/vm.ts";

const registryImage = (name: string): RegistryEntry => ({
  name,
  url: `ghcr.io/cirruslabs/${name}:latest`,
  description: null,
  tags: ["latest", "24.04"],
  updated_at: null,
  os: "linux",
  source: "built-in",
  tag_details: {},
  checked_at: null,
  error: null,
});
const githubImage = (name: string): CatalogueImage => ({ name, url: `ghcr.io/cirruslabs/${name}:latest`, description: "from GitHub", tags: ["latest"], updated_at: null });
const oci = (name: string): Vm => ({
  name, status: "stopped", ip_address: null, source: "oci", os: null, cpu: null, memory: null, disk_size: null, display: null,
  state: "stopped", kind: "oci", size_on_disk: 20, accessed: null, digest: null, active_task_id: null, suspendable: null,
});

function catalogue(options: { token?: string | null; github?: () => Promise<CatalogueImage[]>; vms?: Vm[] } = {}) {
  return new ImageCatalogue({
    registry: { list: async () => [registryImage("ubuntu"), registryImage("debian")] },
    github: { list: options.github ?? (async () => [githubImage("ubuntu"), githubImage("macos-custom-base")]) },
    githubToken: () => options.token ?? null,
    inventory: () => options.vms ?? [],
  });
}

test("without a token: the registry's images, nothing asked of GitHub", async () => {
  let asked = false;
  const images = await catalogue({ github: async () => ((asked = true), []) }).list();
  expect(images.map((i) => i.name)).toEqual(["ubuntu", "debian"]);
  expect(asked).toBe(false);
});

test("with a token: GitHub adds the packages the registry list does not know, marked as such", async () => {
  const images = await catalogue({ token: "ghp_x" }).list();
  expect(images.map((i) => [i.name, i.source])).toEqual([["ubuntu", "built-in"], ["debian", "built-in"], ["macos-custom-base", "github"]]);
  expect(images[2]!.os).toBe("darwin");
});

test("GitHub refusing the token fails nothing: the registry's images, and the reason kept", async () => {
  const c = catalogue({ token: "ghp_bad", github: async () => Promise.reject(new AppError("upstream_refused", "GitHub refused the configured token (401)")) });
  expect((await c.list()).map((i) => i.name)).toEqual(["ubuntu", "debian"]);
  expect(c.lastGithubError()).toContain("refused");
});

test("pulled tags come from tart's OCI cache", async () => {
  const images = await catalogue({ vms: [oci("ghcr.io/cirruslabs/ubuntu:24.04"), oci("ghcr.io/cirruslabs/ubuntu:latest"), oci("ghcr.io/other/ubuntu:latest")] }).list();
  expect(images.find((i) => i.name === "ubuntu")!.pulled_tags.sort()).toEqual(["24.04", "latest"]);
  expect(images.find((i) => i.name === "debian")!.pulled_tags).toEqual([]);
});

test("local VMs: the inventory's local VMs counted for the image they came from, through clones", async () => {
  const local = (name: string): Vm => ({ ...oci(name), kind: "local", source: "local" });
  const c = new ImageCatalogue({
    registry: { list: async () => [registryImage("ubuntu"), registryImage("debian")] },
    github: { list: async () => [] },
    githubToken: () => null,
    inventory: () => [local("dev"), local("dev-copy"), oci("ghcr.io/cirruslabs/ubuntu:latest")],
    origins: () => ({ dev: "ghcr.io/cirruslabs/ubuntu:24.04", "dev-copy": "dev", gone: "ghcr.io/cirruslabs/debian:latest" }),
  });
  const images = await c.list();
  expect(images.find((i) => i.name === "ubuntu")!.local_vms).toEqual(["dev", "dev-copy"]);
  expect(images.find((i) => i.name === "debian")!.local_vms).toEqual([]); // "gone" is not in the inventory
});
