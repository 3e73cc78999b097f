/**
 * The data dir (default ~/.tartvm-manager): created 0700, and tightened with a warning when it or a
 * secret in it was left readable by others — it holds the API token.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { checkSecretPath } from "./secret-file.ts";

export interface DataDirLayout {
  root: string;
  tokenFile: string;
  githubTokenFile: string;
  database: string;
  taskLogs: string;
  runLogs: string;
  /** The image catalogue's registry answers, kept across restarts (not a secret). */
  catalogueCache: string;
  /** The repositories the user added to the catalogue. */
  repositories: string;
  /** What each VM this server made came from (name → source). */
  vmOrigins: string;
  /** The VM configs known at the last run, for the next start (storage/config-memory.ts). */
  vmConfigs: string;
  /** The registries this server logged in to, without any secret (storage/registry-list.ts). */
  registries: string;
  /** The run options kept per VM (storage/run-options-file.ts). */
  vmRunOptions: string;
  /** Where the running server listens, for the CLI (storage/server-address.ts). */
  serverAddress: string;
  /** The VMs to start when the server starts (storage/autostart-file.ts). */
  autostart: string;
  /** The output of the server when it runs as a login service (src/service/). */
  serviceLog: string;
}

export function layoutOf(root: string): DataDirLayout {
  return {
    root,
    tokenFile: join(root, "token"),
    githubTokenFile: join(root, "github_token"),
    database: join(root, "taartenfabriek.sqlite"),
    taskLogs: join(root, "task-logs"),
    runLogs: join(root, "run-logs"),
    catalogueCache: join(root, "catalogue-cache.json"),
    repositories: join(root, "repositories.json"),
    vmOrigins: join(root, "vm-origins.json"),
    vmConfigs: join(root, "vm-configs.json"),
    registries: join(root, "registries.json"),
    vmRunOptions: join(root, "vm-run-options.json"),
    serverAddress: join(root, "server.json"),
    autostart: join(root, "autostart.json"),
    serviceLog: join(root, "service.log"),
  };
}

/** Creates the data dir and its folders; returns warnings about permissions it had to fix. */
export function prepareDataDir(layout: DataDirLayout): string[] {
  const warnings: string[] = [];
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  warnings.push(...tighten(layout.root, 0o700));
  for (const dir of [layout.taskLogs, layout.runLogs]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    warnings.push(...tighten(dir, 0o700));
  }
  // Checked before anything touches them: a link here must not be followed (see secret-file.ts).
  for (const file of [layout.tokenFile, layout.githubTokenFile]) checkSecretPath(file);
  for (const file of [layout.tokenFile, layout.githubTokenFile, layout.database]) {
    if (existsSync(file)) warnings.push(...tighten(file, 0o600));
  }
  return warnings;
}

/**
 * Removes group/other permission bits beyond `mode`; returns a warning when it had to. A symbolic
 * link is left alone (chmod would change its target), with a warning.
 */
export function tighten(path: string, mode: number): string[] {
  const stats = lstatSync(path);
  if (stats.isSymbolicLink()) return [`${path} is a symbolic link; its target's permissions were not checked`];
  const current = stats.mode & 0o777;
  if ((current & ~mode) === 0) return [];
  chmodSync(path, current & mode);
  return [`${path} had mode ${current.toString(8).padStart(4, "0")}; tightened to ${(current & mode).toString(8).padStart(4, "0")}`];
}
