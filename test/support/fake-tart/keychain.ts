// The fake's stand-in for the macOS Keychain items tart keeps registry credentials in (internet
// passwords with server HOST, label "Tart Credentials"): $TART_HOME/fake-keychain.json,
// `{"HOST": {"user": "...", "password": "..."}}`, 0600. Tests read it to see what tart was given.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

type Items = Record<string, { user: string; password: string }>;

const file = (home: string) => join(home, "fake-keychain.json");

function load(home: string): Items {
  try {
    return JSON.parse(readFileSync(file(home), "utf8")) as Items;
  } catch {
    return {};
  }
}

export function storeCredentials(home: string, host: string, user: string, password: string): void {
  writeFileSync(file(home), JSON.stringify({ ...load(home), [host]: { user, password } }), { mode: 0o600 });
}

export function removeCredentials(home: string, host: string): void {
  const items = load(home);
  if (!(host in items)) return;
  delete items[host];
  writeFileSync(file(home), JSON.stringify(items), { mode: 0o600 });
}
