/**
 * The executable: parse the command line, build the app, listen on loopback, print where it is
 * and which tart it drives, open the browser, and stop cleanly on SIGINT/SIGTERM (VMs started
 * with `tart run` keep running — they live in their own sessions).
 */
import { bootstrap } from "./bootstrap.ts";
import { isLoopbackHost, parseConfig, USAGE, UsageError, type Config } from "./config.ts";
import { loadOrCreateToken, rotateToken } from "./storage/api-token.ts";
import { layoutOf, prepareDataDir } from "./storage/data-dir.ts";
import { SecretFile } from "./storage/secret-file.ts";
import { SERVER_OPTIONS } from "./http/server-options.ts";
import { VERSION } from "./version.ts";
import { openBrowser } from "./open-browser.ts";
import { createLogger, type Logger } from "./log/logger.ts";

// Text until the command line has said otherwise (--log-format).
let out: Logger = createLogger("text");

function fatal(message: string, code = 1): never {
  out.error(message);
  process.exit(code);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) fatal(error.message, 2);
    throw error;
  }
  out = createLogger(config.logFormat);
  if (config.command === "help") return void console.log(USAGE);
  if (config.command === "version") return void console.log(VERSION);
  if (config.command === "token") return tokenCommand(config);
  await serve(config);
}

function tokenCommand(config: Config): void {
  let token: string;
  try {
    const layout = layoutOf(config.dataDir);
    for (const warning of prepareDataDir(layout)) out.warn(warning);
    const file = new SecretFile(layout.tokenFile);
    token = config.rotateToken ? rotateToken(file) : loadOrCreateToken(file);
  } catch (error) {
    fatal(`cannot use the data dir ${config.dataDir}: ${(error as Error).message}`);
  }
  console.log(token);
  if (config.rotateToken) console.error("The old token no longer works; a running server switches within a second.");
}

async function serve(config: Config): Promise<void> {
  let runtime: Awaited<ReturnType<typeof bootstrap>>;
  try {
    runtime = await bootstrap(config, out);
  } catch (error) {
    fatal(`cannot use the data dir ${config.dataDir}: ${(error as Error).message}`);
  }
  out.redact(runtime.token); // json lines never carry it: such logs are collected and kept
  try {
    runtime.app.listen({ hostname: config.host, port: config.port, ...SERVER_OPTIONS });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE" || /in use/i.test((error as Error).message)) {
      fatal(`port ${config.port} on ${config.host} is already in use (is another taartenfabriek running? try --port)`);
    }
    fatal(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const port = runtime.app.server!.port!;
  const tartFound = runtime.bound(port);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    out.info(`${signal}: shutting down (running VMs keep running)`);
    void runtime.app.server?.stop(false); // stop accepting; answers in flight may finish
    runtime.shutdown();
    await Bun.sleep(100); // let the websockets' close frames go out
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  const host = config.host.includes(":") && !config.host.startsWith("[") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}/`;
  out.info(`de taartenfabriek ${VERSION} is listening on ${url}`);
  out.info(`Open ${url}#token=${runtime.token}`);
  out.info(`API token file: ${runtime.layout.tokenFile}`);
  if (!isLoopbackHost(config.host)) {
    out.warn(`listening on ${config.host}: anyone who can reach it and has the token controls your VMs`);
    if (!config.allowedHosts.length) {
      out.warn("requests must name this machine as it is listening (or a name given with --allow-host)");
    }
  }
  const tart = await tartFound;
  if (tart.available) out.info(`Using tart ${tart.version} at ${tart.path}`);
  else out.warn(tart.error ?? "tart is not available");

  if (config.open) openBrowser(`${url}#token=${runtime.token}`);

}

// No top-level await: the executable is compiled to bytecode, which needs a CommonJS-shaped entry.
main().catch((error) => fatal(`unexpected error: ${(error as Error)?.stack ?? error}`));
