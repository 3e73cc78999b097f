/**
 * The server's own log lines (not a task's log): `text`, as the server always printed them
 * (information on stdout; warnings as `warning: …` and fatal errors as `taartenfabriek: …` on
 * stderr), or `json` (`--log-format json`), one object per line, `{"time", "level", "msg", …}`,
 * on the same streams, for log shippers and the service's log files.
 *
 * In json lines every secret registered with `redact` (the API token) is replaced, wherever it
 * appears: such logs are collected and kept, so the line that hands the token to the user in
 * text mode ("Open …#token=…") must not carry it there.
 */
export type LogFormat = "text" | "json";
export const LOG_FORMATS: readonly LogFormat[] = ["text", "json"];

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Never print this string in a json line. */
  redact(secret: string): void;
}

export interface LoggerOptions {
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  now?: () => Date;
}

const REDACTED = "[redacted]";
const TEXT_PREFIX: Record<LogLevel, string> = { info: "", warn: "warning: ", error: "taartenfabriek: " };

export function createLogger(format: LogFormat, options: LoggerOptions = {}): Logger {
  // console's writes reach the stream before a process.exit() that follows them (fatal errors).
  const stdout = options.stdout ?? ((line: string) => console.log(line));
  const stderr = options.stderr ?? ((line: string) => console.error(line));
  const now = options.now ?? (() => new Date());
  const secrets = new Set<string>();
  const hide = (line: string) => {
    let out = line;
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  };
  const write = (level: LogLevel, message: string, fields: LogFields = {}) => {
    const sink = level === "info" ? stdout : stderr;
    if (format === "text") return sink(TEXT_PREFIX[level] + message);
    // The standard fields first, and never overwritten by a caller's field of the same name.
    const { time: _t, level: _l, msg: _m, ...rest } = fields;
    sink(hide(JSON.stringify({ time: now().toISOString(), level, msg: message, ...rest })));
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    redact(secret) {
      if (secret) secrets.add(secret);
    },
  };
}
