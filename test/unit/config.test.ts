// Command line and environment → Config.
import { describe, expect, test } from "bun:test";
import { parseConfig, UsageError } from "../../src/config.ts";

describe("config", () => {
  test("defaults", () => {
    const config = parseConfig([], { HOME: "/h" });
    expect(config).toMatchObject({ command: "serve", host: "127.0.0.1", port: 8000, tartPath: null, open: true });
    expect(config.dataDir).toEndWith(".tartvm-manager");
  });
  test("environment fallbacks, flags win", () => {
    const env = { TARTVM_HOST: "localhost", TARTVM_PORT: "9000", TARTVM_TART_PATH: "/opt/tart", TARTVM_DATA_DIR: "/d" };
    expect(parseConfig([], env)).toMatchObject({ host: "localhost", port: 9000, tartPath: "/opt/tart", dataDir: "/d" });
    expect(parseConfig(["--port", "1234", "--data-dir=/e", "--no-open"], env)).toMatchObject({ port: 1234, dataDir: "/e", open: false });
  });
  test("token commands", () => {
    expect(parseConfig(["token", "--rotate"], {})).toMatchObject({ command: "token", rotateToken: true });
    expect(() => parseConfig(["--rotate"], {})).toThrow(UsageError);
  });
  test.each([[["--port", "99999"]], [["--port", "x"]], [["--bogus"]], [["--host"]], [["--host", "0.0.0.0"]], [["--tart"]]])(
    "refuses %p",
    (argv) => {
      expect(() => parseConfig(argv as string[], {})).toThrow(UsageError);
    },
  );
  test("non-loopback needs the explicit flag", () => {
    expect(parseConfig(["--host", "0.0.0.0", "--allow-non-loopback"], {}).host).toBe("0.0.0.0");
  });
  test("bad TARTVM_TART_TIMEOUTS is a usage error", () => {
    expect(() => parseConfig([], { TARTVM_TART_TIMEOUTS: "{" })).toThrow(UsageError);
    expect(() => parseConfig([], { TARTVM_TART_TIMEOUTS: '{"nope":1}' })).toThrow(UsageError);
    expect(parseConfig([], { TARTVM_TART_TIMEOUTS: '{"list":5}' }).tartTimeouts.list).toBe(5);
  });
});
