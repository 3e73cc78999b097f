// VmInventory over the in-memory tart: which refreshes share a run, tag/digest folding, the
// config cache and its invalidation, and a failed refresh keeping the last good list.
import { describe, expect, test } from "bun:test";
import { MemoryTart } from "../support/memory-tart.ts";
import { domain } from "./fixtures.ts";

const lists = (tart: MemoryTart) => tart.calls.filter((args) => args[0] === "list").length;

describe("VmInventory", () => {
  test("a poll joins the running refresh; refreshFromNow waits for it and shares the next one", async () => {
    const tart = new MemoryTart().add("a");
    const { inventory } = domain(tart);
    const release = tart.hold("list");
    const first = inventory.refresh();
    const joined = inventory.refresh();
    tart.add("b"); // after the running `tart list` was asked
    const fresh = [inventory.refreshFromNow(), inventory.refreshFromNow()];
    release();
    expect((await first).map((vm) => vm.name)).toEqual(["a"]);
    expect(await joined).toBe(await first);
    const [x, y] = await Promise.all(fresh);
    expect(lists(tart)).toBe(2);
    expect(x!.map((vm) => vm.name)).toEqual(["a", "b"]);
    expect(y).toBe(x!);
  });

  test("an OCI tag and its digest entry are shown as one image, with the digest", async () => {
    const tart = new MemoryTart().add("ghcr.io/x/y:latest", { source: "oci" }).add(`ghcr.io/x/y@sha256:${"0".repeat(64)}`, { source: "oci" });
    const { inventory } = domain(tart);
    const vms = await inventory.refresh();
    expect(vms.map((vm) => [vm.name, vm.digest])).toEqual([["ghcr.io/x/y:latest", `sha256:${"0".repeat(64)}`]]);
    expect(inventory.find(`ghcr.io/x/y@sha256:${"0".repeat(64)}`)!.name).toBe("ghcr.io/x/y:latest");
  });

  test("configs are filled in the background, cached, and fetched again after invalidate", async () => {
    const tart = new MemoryTart().add("dev");
    const { inventory } = domain(tart);
    await inventory.refresh();
    for (let i = 0; i < 100 && inventory.find("dev")!.cpu === null; i++) await Bun.sleep(1);
    expect(inventory.find("dev")).toMatchObject({ cpu: 4, memory: "8G", os: "darwin" });
    const gets = () => tart.calls.filter((args) => args[0] === "get").length;
    const before = gets();
    await inventory.config("dev", false);
    expect(gets()).toBe(before);
    tart.vms.get("dev")!.cpu = 2;
    inventory.invalidate("dev");
    expect(inventory.find("dev")!.cpu).toBe(4); // still shown meanwhile
    expect((await inventory.config("dev", false)).cpu).toBe(2);
    expect(gets()).toBe(before + 1);
  });

  test("a failed refresh keeps the last good list and marks it stale", async () => {
    const tart = new MemoryTart().add("dev");
    const { inventory } = domain(tart);
    await inventory.refresh();
    tart.fail("list", "Error: boom");
    await expect(inventory.refresh()).rejects.toThrow("boom");
    expect(inventory.list().map((vm) => vm.name)).toEqual(["dev"]);
    expect(inventory.state()).toMatchObject({ stale: true, error: "boom" });
  });
});
