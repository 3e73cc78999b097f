// The rules behind the catalogue's added repositories and the local VMs counted per image, with
// in-memory stores and registries: which lists are refused and why, which entries are shown to
// their registry, how origins follow clones and survive a delete in the middle of a chain, and
// the hook VmOperations calls when clone, create and delete complete.
import { describe, expect, test } from "bun:test";
import { AddedRepositories } from "../../src/domain/added-repositories.ts";
import { AppError } from "../../src/domain/errors.ts";
import { tmpdir } from "node:os";
import { VmOperations } from "../../src/domain/vm-operations.ts";
import { VmOrigins, vmsByRepository } from "../../src/domain/vm-origins.ts";
import { MemoryTart } from "../support/memory-tart.ts";
import { domain, ended } from "./fixtures.ts";

function repositories(answers: Record<string, () => Promise<string[]>> = {}, stored: string[] = []) {
  const asked: string[] = [];
  const saved: string[][] = [];
  const added = new AddedRepositories({
    store: { load: () => stored, save: (list) => void saved.push(list) },
    registry: {
      tags: async (host, repository) => {
        asked.push(`${host}/${repository}`);
        return (answers[`${host}/${repository}`] ?? (async () => ["latest"]))();
      },
    },
    builtIn: ["ghcr.io/cirruslabs/ubuntu"],
  });
  return { added, asked, saved };
}

describe("added repositories", () => {
  test("only the entries not yet in the list are shown to their registry; hosts are folded to lowercase", async () => {
    const { added, asked, saved } = repositories({}, ["ghcr.io/acme/a"]);
    expect(await added.replace(["ghcr.io/acme/a", "Quay.IO/team/b"])).toEqual(["ghcr.io/acme/a", "quay.io/team/b"]);
    expect(asked).toEqual(["quay.io/team/b"]);
    expect(saved).toEqual([["ghcr.io/acme/a", "quay.io/team/b"]]);
    expect(await added.replace([])).toEqual([]);
  });

  test("a refusal turns the whole list away, naming every refused repository; unreachable ones are kept", async () => {
    const refuse = (why: string) => async () => Promise.reject(new AppError("upstream_refused", why));
    const { added, saved } = repositories({
      "ghcr.io/acme/private": refuse("ghcr.io refused anonymous access to acme/private (403)"),
      "ghcr.io/acme/gone": refuse("ghcr.io does not know acme/gone (404)"),
      "far.example/x/y": async () => Promise.reject(new AppError("upstream_failed", "far.example could not be reached")),
    });
    const error = await added.replace(["ghcr.io/acme/private", "ghcr.io/acme/gone", "far.example/x/y"]).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("upstream_refused");
    expect(error.detail).toBe("Not saved. ghcr.io/acme/private: ghcr.io refused anonymous access to acme/private (403); ghcr.io/acme/gone: ghcr.io does not know acme/gone (404)");
    expect(saved).toEqual([]);
    expect(await added.replace(["far.example/x/y"])).toEqual(["far.example/x/y"]);
  });

  test("validation names the entry: grammar, tag, built in, twice", async () => {
    const { added, asked } = repositories();
    const detail = (list: string[]) => added.replace(list).then(() => "saved", (e: AppError) => `${e.code}: ${e.detail}`);
    expect(await detail(["ghcr.io/acme/a", "nohost"])).toStartWith('validation: repositories.1: "nohost" is not a repository');
    expect(await detail(["localhost:5000/a:1.0"])).toStartWith('validation: repositories.0: "localhost:5000/a:1.0" names a tag');
    expect(await detail(["ghcr.io/cirruslabs/ubuntu"])).toBe("validation: repositories.0: ghcr.io/cirruslabs/ubuntu is built in; the catalogue always lists it");
    expect(await detail(["ghcr.io/a/b", "ghcr.io/a/b"])).toBe("validation: repositories.1: ghcr.io/a/b is already in the list (repositories.0)");
    expect(asked).toEqual([]);
  });
});

describe("VM origins", () => {
  const store = () => {
    const saves: Record<string, string>[] = [];
    return { saves, load: () => ({}), save: (o: Record<string, string>) => void saves.push(o) };
  };

  test("clones of clones and digests count for the repository; unknown and looping chains count nowhere", () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const origins = {
      a: "ghcr.io/cirruslabs/ubuntu:latest",
      B: "a",
      c: "b",
      d: `ghcr.io/cirruslabs/ubuntu@${digest}`,
      e: "GHCR.io/cirruslabs/debian:12",
      f: "not-known",
      g: "h",
      h: "g",
    };
    const counted = vmsByRepository(origins, ["a", "B", "c", "d", "e", "f", "g", "h", "stranger"]);
    expect(Object.fromEntries(counted)).toEqual({ "ghcr.io/cirruslabs/ubuntu": ["a", "B", "c", "d"], "ghcr.io/cirruslabs/debian": ["e"] });
    // Only the names asked about (the inventory) are counted; the chain may pass through others.
    expect(Object.fromEntries(vmsByRepository(origins, ["c"]))).toEqual({ "ghcr.io/cirruslabs/ubuntu": ["c"] });
  });

  test("a delete drops the entry and re-points what was made from it; names ignore case", () => {
    const s = store();
    const origins = new VmOrigins(s);
    origins.made("a", "ghcr.io/cirruslabs/ubuntu:latest");
    origins.made("b", "A");
    origins.made("c", "b");
    origins.removed("a");
    expect(origins.all()).toEqual({ b: "ghcr.io/cirruslabs/ubuntu:latest", c: "b" });
    origins.made("C", "ghcr.io/cirruslabs/debian:latest"); // the same VM made again, spelled otherwise
    expect(origins.all()).toEqual({ b: "ghcr.io/cirruslabs/ubuntu:latest", C: "ghcr.io/cirruslabs/debian:latest" });
    origins.removed("nothing");
    expect(s.saves).toHaveLength(5); // four made, one removed; removing an unknown name writes nothing
  });

  test("a rename moves the entry and re-points what was made from it, even from a VM of unknown origin", () => {
    const s = store();
    const origins = new VmOrigins(s);
    origins.made("a", "ghcr.io/cirruslabs/ubuntu:latest");
    origins.made("b", "A");
    origins.made("c", "outside"); // made from a VM this server did not make
    origins.renamed("a", "z");
    origins.renamed("Outside", "inside");
    expect(origins.all()).toEqual({ z: "ghcr.io/cirruslabs/ubuntu:latest", b: "z", c: "inside" });
    origins.renamed("nothing", "else");
    expect(s.saves).toHaveLength(5); // three made, two renames; renaming what nothing refers to writes nothing
  });

  test("VmOperations tells the origins when clone, create and delete complete, and not when they fail", async () => {
    const tart = new MemoryTart().add("base");
    const d = domain(tart);
    const calls: string[] = [];
    const operations = new VmOperations({
      tart,
      tasks: d.tasks,
      locks: d.locks,
      inventory: d.inventory,
      host: { cpu_cores: 8, memory_gb: 32 },
      runLogDir: tmpdir(),
      startTimeoutMs: 2000,
      stopTimeoutSeconds: 30,
      pullRetry: { retries: 0, firstDelayMs: 5 },
      cancelWaitMs: 1000,
      origins: {
        made: (name, source) => calls.push(`made ${name} from ${source}`),
        removed: (name) => calls.push(`removed ${name}`),
        renamed: (from, to) => calls.push(`renamed ${from} to ${to}`),
      },
    });
    await d.inventory.refresh();
    await ended(d.tasks, (await operations.clone("base", "one", false)).id);
    await ended(d.tasks, (await operations.create({ name: "two", source_vm: "one" })).id);
    await d.inventory.refresh();
    await ended(d.tasks, (await operations.delete("one")).id);
    tart.fail("clone", "Error: no space");
    expect((await ended(d.tasks, (await operations.clone("base", "three", false)).id)).status).toBe("failed");
    expect(calls).toEqual(["made one from base", "made two from one", "removed one"]);
  });
});
