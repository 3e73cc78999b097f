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
  test("pull retries, their first delay and the cancel grace period: defaults, env, refusals", () => {
    expect(parseConfig([], {})).toMatchObject({ pullRetries: 3, pullRetryDelayMs: 5000, cancelGraceMs: 10_000 });
    const env = { TARTVM_PULL_RETRIES: "0", TARTVM_PULL_RETRY_DELAY_MS: "250", TARTVM_CANCEL_GRACE_MS: "1500" };
    expect(parseConfig([], env)).toMatchObject({ pullRetries: 0, pullRetryDelayMs: 250, cancelGraceMs: 1500 });
    for (const bad of [{ TARTVM_PULL_RETRIES: "-1" }, { TARTVM_PULL_RETRIES: "x" }, { TARTVM_PULL_RETRIES: "21" }, { TARTVM_PULL_RETRY_DELAY_MS: "0" }, { TARTVM_PULL_RETRY_DELAY_MS: "1.5" }, { TARTVM_CANCEL_GRACE_MS: "0" }]) {
      expect(() => parseConfig([], bad)).toThrow(UsageError);
    }
  });
});
