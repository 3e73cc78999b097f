// The fit warnings of the Create, Clone and Pull dialogs, and the Run options form (pure).
import { describe, expect, test } from "bun:test";
import type { HostFacts } from "../../ui/src/api/types.ts";
import { fitWarnings, pulledBytes } from "../../ui/src/lib/fit-warnings.ts";
import { formOf, formProblems, hintsOf, requestOf, runLine } from "../../ui/src/lib/run-options-form.ts";
import { DEFAULT_RUN_OPTIONS } from "../../src/domain/run-options.ts";

const host = (extra: Partial<HostFacts> = {}): HostFacts => ({
  cpu_cores: 8,
  memory_gb: 16,
  os: { name: "macOS", version: "15.5", source: "sw_vers" },
  tart: { available: true, version: "2.32.1", path: "/opt/homebrew/bin/tart" },
  tart_home: "/Users/me/.tart",
  disk: { free_bytes: 30e9, total_bytes: 500e9 },
  macos_vms: { running: 2, limit: 2, names: ["a", "b"] },
  caches: { oci_bytes: 0, oci_images: 0, ipsw_bytes: 0, ipsw_files: 0 },
  checked_at: 0,
  ...extra,
});

describe("fit warnings", () => {
  test("nothing to say without the host's facts, or when it all fits", () => {
    expect(fitWarnings(null, { diskGb: 999 })).toEqual([]);
    expect(fitWarnings(host({ macos_vms: { running: 0, limit: 2, names: [] } }), { diskGb: 20, cpu: 4, memoryGb: 8, macos: true })).toEqual([]);
  });

  test("space: a download that will not fit, a disk that may fill the volume", () => {
    expect(fitWarnings(host(), { writesBytes: 40e9 })).toEqual(["It writes about 40.0 GB, but tart's volume has only 30.0 GB free: it will not fit."]);
    expect(fitWarnings(host(), { diskGb: 50 })).toEqual(["Its disk can grow to 50 GB, more than the 30.0 GB free on tart's volume: the volume may fill up."]);
  });

  test("the two macOS VMs, the host's cores and memory", () => {
    expect(fitWarnings(host(), { macos: true, startsNow: true })).toEqual(["2 macOS VMs run already (a, b), the most macOS allows: the start would fail until one stops."]);
    expect(fitWarnings(host(), { macos: false, startsNow: true })).toEqual([]);
    expect(fitWarnings(host(), { cpu: 8, memoryGb: 13 })).toEqual([
      "8 cores is every core of the host (8): the host slows down while it runs.",
      "13 GB of memory leaves the host less than a quarter of its 16 GB.",
    ]);
  });

  test("a pull's size comes from the catalogue's tag details", () => {
    const images = [{ url: "ghcr.io/cirruslabs/ubuntu", tag_details: { latest: { download_bytes: 2e9, disk_bytes: 20e9, uploaded_at: null } } }] as never;
    expect(pulledBytes(images, "ghcr.io/cirruslabs/ubuntu")).toBe(20e9);
    expect(pulledBytes(images, "ghcr.io/cirruslabs/ubuntu:latest")).toBe(20e9);
    expect(pulledBytes(images, "ghcr.io/cirruslabs/ubuntu:22.04")).toBeNull();
  });
});

describe("run options form", () => {
  test("the form round-trips and sends only what the network mode takes", () => {
    const form = formOf(DEFAULT_RUN_OPTIONS);
    expect(requestOf(form)).toEqual({ shared_folders: [], network: { mode: "nat" }, nested: false, no_audio: false, root_disk_opts: null });
    const softnet = { ...form, mode: "softnet" as const, allow: "10.0.0.0/8, 192.168.1.0/24", iface: "en0" };
    expect(requestOf(softnet).network).toEqual({ mode: "softnet", allow: ["10.0.0.0/8", "192.168.1.0/24"], block: [] });
    expect(runLine("dev", softnet)).toBe("tart run --vnc --no-graphics --net-softnet --net-softnet-allow 10.0.0.0/8,192.168.1.0/24 dev");
  });

  test("problems as typed, with the server's rules; hints per guest", () => {
    const form = { ...formOf(DEFAULT_RUN_OPTIONS), folders: [{ name: "my src", path: "/Users/me/my src", readOnly: true }], mode: "bridged" as const, iface: "en9" };
    expect(formProblems(form, { os: "linux", tartVersion: null, hostOs: null, interfaces: ["en0"] })).toEqual([
      'network.interface: "en9" is not an interface of this host; it has en0',
    ]);
    expect(runLine("dev", { ...form, iface: "en0" })).toBe("tart run --vnc --no-graphics --dir 'my src:/Users/me/my src:ro' --net-bridged en0 dev");
    expect(hintsOf(form, "darwin")[0]!.guest_path).toBe("/Volumes/My Shared Files/my src");
  });
});
