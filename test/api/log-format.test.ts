// The server's own log lines: `--log-format json` (or TARTVM_LOG_FORMAT=json) prints one JSON
// object per line, {time, level, msg}, from start-up to shutdown, and not one line carries the API
// token, a registry password or the GitHub token, even after operations that handle them; the
// default text lines stay exactly as they were, the token URL included.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createLogger } from "../../src/log/logger.ts";
import { ROOT, startServer, stopAll } from "../support/server-process.ts";

afterAll(() => stopAll());

const PASSWORD = "hunter2-is-not-a-good-password";
const GITHUB_TOKEN = "ghp_thisIsNotARealTokenButLooksLikeOne01";

/** Every line of the output as JSON, with the three fields first and well formed. */
function jsonLines(output: string): Record<string, unknown>[] {
  const lines = output.split("\n").filter((line) => line !== "");
  expect(lines.length).toBeGreaterThan(2);
  return lines.map((line) => {
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(entry).slice(0, 3)).toEqual(["time", "level", "msg"]);
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time as string);
    expect(["info", "warn", "error"]).toContain(entry.level as string);
    expect(typeof entry.msg).toBe("string");
    return entry;
  });
}

describe("--log-format json", () => {
  test("one JSON object per line from start to shutdown; no token, password or GitHub token in any", async () => {
    const server = await startServer({ args: ["--log-format", "json"], env: { TARTVM_GITHUB_TOKEN: GITHUB_TOKEN } });
    const login = await server.waitTask((await server.startTask("/api/registries/login", { host: "registry.example.com", username: "ci", password: PASSWORD })).id);
    expect(login.status).toBe("completed");
    // Saved unchecked (GitHub is unreachable here), then the catalogue asks GitHub with it.
    expect((await server.post("/api/settings/github-token", { token: GITHUB_TOKEN })).status).toBe(200);
    expect((await server.fetch("/api/vms/available-images")).status).toBe(200);
    const { token } = server;
    expect(await server.stop("SIGINT")).toBe(0);
    const output = server.output();
    const entries = jsonLines(output);
    const messages = entries.map((entry) => entry.msg as string);
    expect(messages.some((msg) => /^de taartenfabriek \S+ is listening on http:\/\/127\.0\.0\.1:\d+\/$/.test(msg))).toBe(true);
    expect(messages).toContain(`Open ${server.base}/#token=[redacted]`);
    expect(messages).toContain("SIGINT: shutting down (running VMs keep running)");
    for (const secret of [token, PASSWORD, GITHUB_TOKEN]) expect(output.includes(secret)).toBe(false);
  }, 30_000);

  test("TARTVM_LOG_FORMAT=json does the same; a warning is level warn", async () => {
    const server = await startServer({ tart: null, env: { TARTVM_LOG_FORMAT: "json" } });
    await server.waitForOutput(/tart was not found/);
    const entries = jsonLines(server.output());
    const warning = entries.find((entry) => String(entry.msg).includes("tart was not found"));
    expect(warning?.level).toBe("warn");
    expect(server.output().includes(server.token)).toBe(false);
  });

  test("a value it does not know is a usage error (exit 2), in the text it was asked for", async () => {
    const proc = Bun.spawn([process.execPath, join(ROOT, "src", "main.ts"), "--log-format", "yaml"], { stdout: "pipe", stderr: "pipe", env: { PATH: "/usr/bin:/bin" } });
    expect(await proc.exited).toBe(2);
    expect(await new Response(proc.stderr).text()).toBe('taartenfabriek: --log-format must be text or json, not "yaml"\n');
  });
});

describe("the default text format", () => {
  test("is unchanged: plain lines, the token URL to open, `warning: ` before a warning", async () => {
    const server = await startServer({ tart: null });
    await server.waitForOutput(/warning: tart was not found/);
    const output = server.output();
    expect(output).toContain(`\nOpen ${server.base}/#token=${server.token}\n`);
    expect(output).toMatch(/^de taartenfabriek \S+ is listening on http:\/\/127\.0\.0\.1:\d+\/\n/m);
    expect(output.split("\n").some((line) => line.startsWith("{"))).toBe(false);
  });
});

describe("createLogger", () => {
  const capture = (format: "text" | "json") => {
    const lines: string[] = [];
    const logger = createLogger(format, { stdout: (l) => lines.push(`out ${l}`), stderr: (l) => lines.push(`err ${l}`), now: () => new Date(0) });
    return { logger, lines };
  };

  test("json: caller's fields follow the three and cannot replace them; secrets are redacted wherever they appear", () => {
    const { logger, lines } = capture("json");
    logger.redact("s3cret");
    logger.warn("token s3cret seen", { level: "info", msg: "x", time: "y", path: "/tmp/s3cret/file" });
    expect(lines).toEqual([`err {"time":"1970-01-01T00:00:00.000Z","level":"warn","msg":"token [redacted] seen","path":"/tmp/[redacted]/file"}`]);
  });

  test("text: the streams and prefixes the server always used, nothing redacted", () => {
    const { logger, lines } = capture("text");
    logger.redact("s3cret");
    logger.info("Open http://x/#token=s3cret");
    logger.warn("careful");
    logger.error("cannot listen");
    expect(lines).toEqual(["out Open http://x/#token=s3cret", "err warning: careful", "err taartenfabriek: cannot listen"]);
  });
});
