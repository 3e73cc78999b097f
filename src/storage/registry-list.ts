/**
 * `registries.json` in the data dir: the registry hosts this server logged in to, with the
 * username and when, `{"version": 1, "registries": [{"host", "username", "logged_in_at"}]}`. Never
 * a password or token: tart keeps those in the Keychain, and this file only lets the UI list
 * what can be logged out of.
 */
import type { RegistryLogin, RegistryLoginStore } from "../domain/registry-logins.ts";
import { JsonFile } from "./json-file.ts";

const VERSION = 1;

export class RegistryListFile implements RegistryLoginStore {
  private readonly file: JsonFile;

  constructor(path: string, warn?: (message: string) => void) {
    this.file = new JsonFile(path, warn);
  }

  load(): RegistryLogin[] {
    const stored = this.file.read() as { registries?: unknown } | null;
    const list = Array.isArray(stored?.registries) ? stored.registries : [];
    return list.filter(
      (entry): entry is RegistryLogin =>
        typeof entry?.host === "string" && typeof entry?.username === "string" && typeof entry?.logged_in_at === "number",
    ).map(({ host, username, logged_in_at }) => ({ host, username, logged_in_at }));
  }

  save(registries: RegistryLogin[]): void {
    this.file.write({ version: VERSION, registries });
  }
}
