/**
 * Linux: a systemd user unit, `~/.config/systemd/user/taartenfabriek.service` (or under
 * `$XDG_CONFIG_HOME`), enabled with `systemctl --user enable --now`. Restart=on-failure matches
 * the LaunchAgent's KeepAlive: after a crash, not after a clean stop.
 */
import { join } from "node:path";
import type { ServiceDefinition } from "./service-definition.ts";

export const SYSTEMD_UNIT = "taartenfabriek.service";

export function systemdUnitPath(home: string, env: Record<string, string | undefined>): string {
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), "systemd", "user", SYSTEMD_UNIT);
}

/** One ExecStart word: double-quoted, with systemd's specifiers (`%`) and variables (`$`) escaped. */
export function systemdQuote(word: string): string {
  return `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

/** A path in `append:`, which takes no quotes: spaces and specials are escaped instead. */
const escapePath = (path: string) => path.replace(/\\/g, "\\\\").replace(/%/g, "%%").replace(/ /g, "\\x20");

export function renderSystemdUnit(service: ServiceDefinition): string {
  return `[Unit]
Description=de taartenfabriek (Tart VMs from a browser)

[Service]
ExecStart=${service.program.map(systemdQuote).join(" ")}
Environment=${systemdQuote(`PATH=${service.path}`)}
Restart=on-failure
RestartSec=2
StandardOutput=append:${escapePath(service.logFile)}
StandardError=append:${escapePath(service.logFile)}

[Install]
WantedBy=default.target
`;
}
