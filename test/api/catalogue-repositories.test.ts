// The catalogue's added repositories and the local VMs counted per image, over real HTTP with
// the real server: repositories on ghcr.io (the fake GHCR behind TARTVM_GHCR_URL) and on a
// second registry, a loopback one (another fake, which the server reaches over plain HTTP as it
// would a registry:2 on localhost:5000); refused ones turned away with 400, malformed ones 422,
// the list kept across a restart; and the VMs made by clone and create counted for the image
// they came from, through local clones and digests, until they are deleted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CURATED_IMAGES } from "../../src/adapters/catalogue/curated-images.ts";
import { cirruslabsRepositories } from "../support/cirruslabs-registry.ts";
import { startFakeGhcr, type FakeGhcr } from "../support/fake-ghcr.ts";
import { startServer, stopAll, type TestServer } from "../support/server-process.ts";

const GB = 1024 ** 3;
const image = (uploadedAt: string) => ({ diskBytes: 30 * GB, compressedBytes: 9 * GB, uploadedAt });
let ghcr: FakeGhcr;
let other: FakeGhcr;
let server: TestServer;
let otherHost: string;
// Our own folders, so that the restart below keeps them (startServer removes the ones it made).
const scratch = mkdtempSync(join(tmpdir(), "catalogue-repositories-"));
const dirs = { dataDir: join(scratch, "data"), tartHome: join(scratch, "tart-home") };

beforeAll(async () => {
  ghcr = startFakeGhcr([
    ...cirruslabsRepositories(image("2026-06-06T10:41:07Z")),
    { name: "cirruslabs/seed-image-1", tags: { latest: image("2026-05-01T00:00:00Z"), "1.0": image("2026-04-01T00:00:00Z") } },
    { name: "acme/secret-builder", tags: { latest: image("2026-05-01T00:00:00Z") }, private: true },
  ]);
  other = startFakeGhcr([{ name: "team/macos-builder", tags: { latest: image("2026-07-01T00:00:00Z"), "2.1": image("2026-06-01T00:00:00Z") } }]);
  otherHost = new URL(other.url).host; // 127.0.0.1:PORT
  server = await startServer({ ...dirs, seed: { local: 1, oci: 1 }, env: { TARTVM_GHCR_URL: ghcr.url } });
  await server.post("/api/vms/refresh", {});
});
afterAll(async () => {
  await stopAll();
  ghcr.stop();
  other.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const save = (repositories: unknown) => server.post("/api/settings/repositories", { repositories });

describe("added repositories", () => {
  test("none at first", async () => {
    expect(await server.get("/api/settings/repositories")).toEqual({ repositories: [] });
  });

  test("malformed, tagged, built-in, repeated or too many: 422 naming the entry, nothing saved", async () => {
    const cases: [unknown, string][] = [
      [["ghcr.io/acme/Builder"], "repositories.0: \"ghcr.io/acme/Builder\" is not a repository"],
      [["acme/builder"], "is not a repository"],
      [["https://ghcr.io/acme/builder"], "is not a repository"],
      [["ghcr.io/acme/builder:latest"], "repositories.0: \"ghcr.io/acme/builder:latest\" names a tag; give the repository alone, e.g. ghcr.io/acme/builder"],
      [[`ghcr.io/acme/x@sha256:${"a".repeat(64)}`], "names a digest"],
      [["ghcr.io/cirruslabs/ubuntu"], "repositories.0: ghcr.io/cirruslabs/ubuntu is built in"],
      [[`${otherHost}/team/macos-builder`, `${otherHost}/team/macos-builder`], "repositories.1: " + `${otherHost}/team/macos-builder is already in the list (repositories.0)`],
      [["GHCR.io/acme/a", "ghcr.io/acme/a"], "repositories.1: ghcr.io/acme/a is already in the list"],
      [[""], "repositories.0: must not be empty"],
      [[`ghcr.io/acme/${"a".repeat(250)}`], "repositories.0: must be a repository such as ghcr.io/owner/image, at most 255 characters"],
      [Array.from({ length: 51 }, (_, i) => `ghcr.io/acme/r${i}`), "repositories: must be a list of at most 50 repositories"],
      ["ghcr.io/acme/a", "repositories:"],
    ];
    for (const [body, detail] of cases) {
      const response = await save(body);
      expect(response.status).toBe(422);
      expect((await response.json()).detail).toContain(detail);
    }
    expect((await server.post("/api/settings/repositories", {})).status).toBe(422);
    expect(await server.get("/api/settings/repositories")).toEqual({ repositories: [] });
  });

  test("one the registry will not serve anonymously: 400 naming it and why, nothing saved", async () => {
    const unknown = await save([`${otherHost}/team/nothing-here`]);
    expect(unknown.status).toBe(400);
    const { detail } = await unknown.json();
    expect(detail).toContain(`${otherHost}/team/nothing-here`);
    expect(detail).toContain("refused anonymous access");

    const denied = await save(["ghcr.io/acme/secret-builder"]);
    expect(denied.status).toBe(400);
    expect((await denied.json()).detail).toMatch(/ghcr\.io\/acme\/secret-builder: .*\(403: DENIED/);
    expect(await server.get("/api/settings/repositories")).toEqual({ repositories: [] });
  });

  test("a repository on ghcr.io and one on a loopback registry: saved, listed beside the built-in ones with their tags", async () => {
    const response = await save(["ghcr.io/cirruslabs/seed-image-1", ` ${otherHost}/team/macos-builder `]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ repositories: ["ghcr.io/cirruslabs/seed-image-1", `${otherHost}/team/macos-builder`] });
    // The loopback registry was asked over plain HTTP, anonymously: a challenge, a token, the tags.
    expect(other.requests.filter((r) => r.path.startsWith("/token")).length).toBeGreaterThan(0);

    const images = await server.get<any[]>("/api/vms/available-images");
    expect(images.slice(0, CURATED_IMAGES.length).map((i) => i.name)).toEqual(CURATED_IMAGES.map((i) => i.name));
    const added = images.slice(CURATED_IMAGES.length);
    expect(added.map((i) => [i.name, i.source])).toEqual([
      ["ghcr.io/cirruslabs/seed-image-1", "added"],
      [`${otherHost}/team/macos-builder`, "added"],
    ]);
    expect(added[1]).toMatchObject({ url: `${otherHost}/team/macos-builder:latest`, tags: ["latest", "2.1"], os: "darwin", description: null, error: null, local_vms: [] });
    expect(added[0]).toMatchObject({ url: "ghcr.io/cirruslabs/seed-image-1:latest", tags: ["latest", "1.0"], os: null, pulled_tags: ["latest"] });
  });

  test("saving the same list again asks no registry; a registry that cannot be reached does not stop a save", async () => {
    // The catalogue reads manifests in the background after listing: let that finish first.
    let before = -1;
    while (before !== other.requests.length + ghcr.requests.length) {
      before = other.requests.length + ghcr.requests.length;
      await Bun.sleep(300);
    }
    expect((await save(["ghcr.io/cirruslabs/seed-image-1", `${otherHost}/team/macos-builder`])).status).toBe(200);
    expect(other.requests.length + ghcr.requests.length).toBe(before);

    const response = await save(["ghcr.io/cirruslabs/seed-image-1", `${otherHost}/team/macos-builder`, "127.0.0.1:9/nobody/listens"]);
    expect(response.status).toBe(200);
    expect((await response.json()).repositories).toContain("127.0.0.1:9/nobody/listens");
    const images = await server.get<any[]>("/api/vms/available-images");
    const dead = images.find((i) => i.name === "127.0.0.1:9/nobody/listens");
    expect(dead).toMatchObject({ source: "added", tags: ["latest"], checked_at: null });
    expect(dead.error).toContain("could not be reached");
  });

  test("kept in the data dir, not readable by others, and across a restart", async () => {
    const file = join(server.dataDir, "repositories.json");
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).repositories).toHaveLength(3);
    await server.stop();
    server = await startServer({ ...dirs, env: { TARTVM_GHCR_URL: ghcr.url } });
    await server.post("/api/vms/refresh", {});
    expect((await server.get("/api/settings/repositories")).repositories).toEqual([
      "ghcr.io/cirruslabs/seed-image-1",
      `${otherHost}/team/macos-builder`,
      "127.0.0.1:9/nobody/listens",
    ]);
    const images = await server.get<any[]>("/api/vms/available-images");
    expect(images.find((i) => i.name === `${otherHost}/team/macos-builder`)?.tags).toEqual(["latest", "2.1"]);
    // Removing is saving the shorter list.
    expect((await (await save([`${otherHost}/team/macos-builder`, "ghcr.io/cirruslabs/seed-image-1"])).json()).repositories).toHaveLength(2);
  });
});

describe("local VMs counted per image", () => {
  const task = async (path: string, body: unknown) => {
    const response = await server.post(path, body);
    expect(response.status).toBe(200);
    const done = await server.waitTask((await response.json()).id);
    expect(done.status).toBe("completed");
  };
  const localVms = async (name: string) => (await server.get<any[]>("/api/vms/available-images")).find((i) => i.name === name)?.local_vms;

  test("clone and create record where each VM came from; clones of clones and digests count for the repository", async () => {
    const seed = (await server.get<any[]>("/api/vms")).find((vm) => vm.name === "ghcr.io/cirruslabs/seed-image-1:latest");
    const digestRef = `ghcr.io/cirruslabs/seed-image-1@${seed.digest}`;
    await task("/api/vms/ghcr.io/cirruslabs/seed-image-1:latest/clone", { new_name: "from-image" });
    await task("/api/vms/from-image/clone", { new_name: "clone-of-clone" });
    await task("/api/vms/create", { name: "created-from-digest", source_vm: digestRef });
    await task("/api/vms/create", { name: "made-from-ubuntu", source_vm: "ghcr.io/cirruslabs/ubuntu:latest" });
    await task("/api/vms/create", { name: "from-a-local-vm", source_vm: "vm-0001" }); // vm-0001's origin is unknown

    expect((await localVms("ghcr.io/cirruslabs/seed-image-1"))?.sort()).toEqual(["clone-of-clone", "created-from-digest", "from-image"]);
    expect(await localVms("ubuntu")).toEqual(["made-from-ubuntu"]);
    expect(await localVms("debian")).toEqual([]);
    const origins = JSON.parse(readFileSync(join(server.dataDir, "vm-origins.json"), "utf8")).origins;
    expect(origins).toMatchObject({ "from-image": "ghcr.io/cirruslabs/seed-image-1:latest", "clone-of-clone": "from-image", "created-from-digest": digestRef, "from-a-local-vm": "vm-0001" });
  });

  test("a delete drops the VM; what was cloned from it still counts for the image", async () => {
    await task("/api/vms/from-image/delete", {});
    expect((await localVms("ghcr.io/cirruslabs/seed-image-1"))?.sort()).toEqual(["clone-of-clone", "created-from-digest"]);
    const origins = JSON.parse(readFileSync(join(server.dataDir, "vm-origins.json"), "utf8")).origins;
    expect(origins["from-image"]).toBeUndefined();
    expect(origins["clone-of-clone"]).toBe("ghcr.io/cirruslabs/seed-image-1:latest");
  });

  test("a VM removed behind the server's back is no longer counted", async () => {
    Bun.spawnSync(["rm", "-rf", join(server.tartHome, "vms", "made-from-ubuntu")]);
    await server.post("/api/vms/refresh", {});
    expect(await localVms("ubuntu")).toEqual([]);
  });
});
