/**
 * Command line and environment → Config, with no side effects. Flags win over the TARTVM_*
 * variables the original app honoured; anything wrong is a UsageError with a one-line message.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseTimeouts, type TartTimeouts } from "./adapters/tart/timeouts.ts";
import { LOG_FORMATS, type LogFormat } from "./log/logger.ts";

export interface Config {
  command: "serve" | "help" | "version" | "token";
  rotateToken: boolean;
  host: string;
  port: number;
  tartPath: string | null;
  dataDir: string;
  open: boolean;
  /** Extra Host names accepted besides the loopback ones. */
  allowedHosts: string[];
  allowNonLoopback: boolean;
  githubApiUrl: string;
  /** Where ghcr.io is really asked (a local fake in tests); image references still say ghcr.io. */
  ghcrUrl: string;
  githubToken: string | undefined;
  tartTimeouts: TartTimeouts;
  /** A light look at tart this often, for what no file event shows (a VM started or stopped elsewhere). */
  reconcileMs: number;
  /** Automatic retries of a pull cut off by a network error (0: none). */
  pullRetries: number;
  /** The first retry's delay; each further one waits twice as long. */
  pullRetryDelayMs: number;
  /** How long a cancelled tart command has after SIGINT before it is SIGKILLed. */
  cancelGraceMs: number;
  /** The server's own log lines: as text (the default) or one JSON object per line. */
  logFormat: LogFormat;
}

export class UsageError extends Error {}

export const USAGE = `Usage: taartenfabriek [options]
       taartenfabriek token [--rotate] [--data-dir DIR]

Manage Tart virtual machines from a browser, curl or scripts.

Options:
  --host ADDR         address to listen on (default 127.0.0.1; env TARTVM_HOST)
  --port N            port to listen on (default 8000; 0 picks a free one; env TARTVM_PORT)
  --tart PATH         the tart executable (default: found on PATH; env TARTVM_TART_PATH)
  --data-dir DIR      token, settings and task history (default ~/.tartvm-manager; env TARTVM_DATA_DIR)
  --allow-host NAME   also accept requests addressed to NAME (repeatable), e.g. a hostname you use
  --allow-non-loopback  required to listen on an address other than loopback
  --reconcile-seconds N  look at tart every N seconds besides following its files (default 60;
                      env TARTVM_RECONCILE_SECONDS)
  --no-open           do not open the browser
  --log-format F      text (default) or json: one JSON object per log line (env TARTVM_LOG_FORMAT)
  --version           print the version and exit
  --help              print this help and exit

Commands:
  token               print the API token (creating it on first use)
  token --rotate      replace the API token; the old one stops working at once
`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
export const isLoopbackHost = (host: string) => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

export function parseConfig(argv: string[], env: Record<string, string | undefined>): Config {
  const config: Config = {
    command: "serve",
    rotateToken: false,
    host: env.TARTVM_HOST || "127.0.0.1",
    port: parsePort(env.TARTVM_PORT ?? "8000", "TARTVM_PORT"),
    tartPath: env.TARTVM_TART_PATH || null,
    dataDir: env.TARTVM_DATA_DIR || join(homedir(), ".tartvm-manager"),
    open: true,
    allowedHosts: [],
    allowNonLoopback: false,
    githubApiUrl: (env.TARTVM_GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
    ghcrUrl: (env.TARTVM_GHCR_URL || "https://ghcr.io").replace(/\/+$/, ""),
    githubToken: env.TARTVM_GITHUB_TOKEN,
    tartTimeouts: parseTimeoutsOrUsage(env.TARTVM_TART_TIMEOUTS),
    reconcileMs: parseWhole(env.TARTVM_RECONCILE_SECONDS, 60, 1, 86_400, "TARTVM_RECONCILE_SECONDS") * 1000,
    pullRetries: parseWhole(env.TARTVM_PULL_RETRIES, 3, 0, 20, "TARTVM_PULL_RETRIES"),
    pullRetryDelayMs: parseWhole(env.TARTVM_PULL_RETRY_DELAY_MS, 5000, 1, 3_600_000, "TARTVM_PULL_RETRY_DELAY_MS"),
    cancelGraceMs: parseWhole(env.TARTVM_CANCEL_GRACE_MS, 10_000, 1, 600_000, "TARTVM_CANCEL_GRACE_MS"),
    logFormat: parseLogFormat(env.TARTVM_LOG_FORMAT || "text", "TARTVM_LOG_FORMAT"),
  };
  const args = [...argv];
  if (args[0] === "token") {
    config.command = "token";
    args.shift();
  }
  while (args.length) {
    const arg = args.shift()!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args.shift();
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--host": config.host = value(); break;
      case "--port": config.port = parsePort(value(), "--port"); break;
      case "--tart": config.tartPath = resolve(value()); break;
      case "--data-dir": config.dataDir = value(); break;
      case "--allow-host": config.allowedHosts.push(value().toLowerCase()); break;
      case "--allow-non-loopback": config.allowNonLoopback = true; break;
      case "--no-open": config.open = false; break;
      case "--log-format": config.logFormat = parseLogFormat(value(), "--log-format"); break;
      case "--reconcile-seconds": config.reconcileMs = parseWhole(value(), 60, 1, 86_400, "--reconcile-seconds") * 1000; break;
      case "--rotate":
        if (config.command !== "token") throw new UsageError("--rotate goes with the token command");
        config.rotateToken = true;
        break;
      case "--version": case "-v": config.command = "version"; break;
      case "--help": case "-h": config.command = "help"; break;
      default: throw new UsageError(`unknown option ${arg} (see --help)`);
    }
  }
  config.dataDir = resolve(config.dataDir);
  if (!isLoopbackHost(config.host) && !config.allowNonLoopback && config.command === "serve") {
    throw new UsageError(
      `refusing to listen on ${config.host}: the API controls your VMs. Pass --allow-non-loopback if you really mean it`,
    );
  }
  return config;
}

function parsePort(text: string, what: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`${what} must be a port number from 0 to 65535, not ${JSON.stringify(text)}`);
  return port;
}

/** An optional whole number from `min` to `max`; unset or empty is the default. */
function parseWhole(text: string | undefined, fallback: number, min: number, max: number, what: string): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`${what} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return value;
}

function parseLogFormat(text: string, what: string): LogFormat {
  if (!(LOG_FORMATS as readonly string[]).includes(text)) throw new UsageError(`${what} must be ${LOG_FORMATS.join(" or ")}, not ${JSON.stringify(text)}`);
  return text as LogFormat;
}

function parseTimeoutsOrUsage(json: string | undefined): TartTimeouts {
  try {
    return parseTimeouts(json);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
