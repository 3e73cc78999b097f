// The console's pure pieces: tart's VNC line (strict parse, redaction), the VNC auth response
// (checked against a real TigerVNC server in test/api/console.test.ts; here its DES rules), the
// downstream handshake, one-time tickets with their clock, and the UI's key sequences.
import { describe, expect, test } from "bun:test";
import { parseVncLine, redactVncLine } from "../../src/console/vnc-line.ts";
import { DownstreamHandshake, vncAuthResponse } from "../../src/console/rfb-auth.ts";
import { ConsoleTickets } from "../../src/console/console-tickets.ts";
import { KEY_COMBOS, keysymsOf } from "../../ui/src/lib/console-keys.ts";
import { consolePageOf, consolePath } from "../../ui/src/lib/console-routes.ts";

describe("tart's VNC line", () => {
  const line = "VNC server is running at vnc://:orchard-cable-velvet-meadow@127.0.0.1:61234";
  test("is read strictly", () => {
    expect(parseVncLine(line)).toEqual({ port: 61234, password: "orchard-cable-velvet-meadow" });
    expect(parseVncLine("VNC server is running at vnc://192.168.64.3")).toBeNull();
    expect(parseVncLine(line.replace("127.0.0.1", "0.0.0.0"))).toBeNull();
    expect(parseVncLine(line.replace("orchard-", "orchard-x-"))).toBeNull(); // five words
    expect(parseVncLine(line.replace("orchard", "Orchard"))).toBeNull();
    expect(parseVncLine(line.replace("61234", "99999"))).toBeNull();
    expect(parseVncLine(`Opening ${line.slice(25)}...`)).toBeNull();
  });
  test("is redacted, and so is any other vnc:// userinfo", () => {
    expect(redactVncLine(line)).toBe("VNC server is running at vnc://:***@127.0.0.1:61234");
    expect(redactVncLine("Opening vnc://:a-b-c-d@127.0.0.1:5900...")).toBe("Opening vnc://:***@127.0.0.1:5900...");
    expect(redactVncLine("restoring VM state from a snapshot...")).toBe("restoring VM state from a snapshot...");
  });
});

describe("VNC auth", () => {
  test("only the first 8 characters count, and they are the DES key", () => {
    const challenge = new Uint8Array(16).map((_, i) => i * 17);
    expect(vncAuthResponse(challenge, "orchard-cable")).toEqual(vncAuthResponse(challenge, "orchard-anything"));
    expect(vncAuthResponse(challenge, "orchard-")).not.toEqual(vncAuthResponse(challenge, "orchard_"));
    // Short passwords are zero-padded: "" and "\0" are the same key.
    expect(vncAuthResponse(challenge, "")).toEqual(vncAuthResponse(challenge, "\0"));
    expect(vncAuthResponse(challenge, "pw").length).toBe(16);
  });

  test("the browser is offered None only, then SecurityResult OK; bytes after that are the relay's", () => {
    const handshake = new DownstreamHandshake();
    const first = handshake.feed(new TextEncoder().encode("RFB 003.0"));
    expect(first.reply).toEqual([]);
    const second = handshake.feed(new Uint8Array([...new TextEncoder().encode("08\n"), 1, 1 /* ClientInit */]));
    expect(second.reply).toEqual([Uint8Array.of(1, 1), Uint8Array.of(0, 0, 0, 0)]);
    expect(second.rest).toEqual(Uint8Array.of(1));
    expect(handshake.done).toBe(true);
    expect(() => new DownstreamHandshake().feed(new TextEncoder().encode("RFB 003.003\n"))).toThrow("RFB 3.8");
    const wrongType = new DownstreamHandshake();
    expect(() => wrongType.feed(new Uint8Array([...new TextEncoder().encode("RFB 003.008\n"), 2]))).toThrow("not offered");
  });
});

describe("tickets", () => {
  test("single use, bound to VM and kind, 30 s", () => {
    let now = 1_000_000;
    const tickets = new ConsoleTickets(() => now);
    const a = tickets.issue("dev", "console");
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tickets.redeem(a, "dev", "console")).toBe(true);
    expect(tickets.redeem(a, "dev", "console")).toBe(false);
    const b = tickets.issue("dev", "console");
    expect(tickets.redeem(b, "other", "console")).toBe(false);
    expect(tickets.redeem(b, "dev", "console")).toBe(false); // spent by the wrong try
    const c = tickets.issue("dev", "shell");
    expect(tickets.redeem(c, "dev", "console")).toBe(false);
    const d = tickets.issue("dev", "console");
    now += 30_001;
    expect(tickets.redeem(d, "dev", "console")).toBe(false);
    expect(tickets.redeem(null, "dev", "console")).toBe(false);
    expect(tickets.redeem("x".repeat(500), "dev", "console")).toBe(false);
    expect(new Set(Array.from({ length: 100 }, () => tickets.issue("dev", "console"))).size).toBe(100);
  });
});

describe("the console page's keys and paths", () => {
  test("key combos and typed text as keysyms", () => {
    expect(KEY_COMBOS.find((c) => c.id === "ctrl-alt-del")!.keys).toEqual([0xffe3, 0xffe9, 0xffff]);
    expect(KEY_COMBOS.filter((c) => /^f\d+$/.test(c.id)).map((c) => c.keys[0])).toEqual(Array.from({ length: 12 }, (_, i) => 0xffbe + i));
    expect(keysymsOf("aZ é\r\n\t")).toEqual([0x61, 0x5a, 0x20, 0xe9, 0xff0d, 0xff09]);
    expect(keysymsOf("€")).toEqual([0x01000000 + 0x20ac]);
  });
  test("console and shell paths", () => {
    expect(consolePath("dev vm")).toBe("/vms/dev%20vm/console");
    expect(consolePageOf("/vms/dev%20vm/console")).toEqual({ kind: "console", name: "dev vm" });
    expect(consolePageOf("/vms/dev/shell/")).toEqual({ kind: "shell", name: "dev" });
    expect(consolePageOf("/clusters/farm/vms/ci%201/shell")).toEqual({ kind: "shell", cluster: "farm", name: "ci 1" });
    expect(consolePageOf("/clusters/farm/vms/ci-1/console/")).toEqual({ kind: "console", cluster: "farm", name: "ci-1" });
    expect(consolePageOf("/vms/dev")).toBeNull();
    expect(consolePageOf("/vms/%E0/console")).toBeNull();
  });
});
