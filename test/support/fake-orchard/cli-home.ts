/**
 * An ORCHARD_HOME whose orchard.yml has one default context for a fake controller, written as
 * `orchard context create` stores it (base64 PEM certificate, service account), so a server
 * started with it finds the cluster by itself, its certificate pinned.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeOrchard } from "./controller.ts";

export function orchardHomeFor(orchard: FakeOrchard, context: string, account: { name: string; token: string }): string {
  const home = mkdtempSync(join(tmpdir(), "orchard-home-"));
  mkdirSync(join(home, ".orchard"));
  const certificate = orchard.certificate ? `    certificate: ${Buffer.from(orchard.certificate.cert).toString("base64")}\n` : "";
  writeFileSync(
    join(home, ".orchard", "orchard.yml"),
    `default-context: ${context}\ncontexts:\n  ${context}:\n    url: ${orchard.url}\n${certificate}    serviceAccountName: ${account.name}\n    serviceAccountToken: ${account.token}\n`,
    { mode: 0o600 },
  );
  return home;
}
