/**
 * macOS: a per-user LaunchAgent, `~/Library/LaunchAgents/<label>.plist`, loaded into the user's
 * GUI session with `launchctl bootstrap gui/<uid>` (so it starts at every login) and removed with
 * `launchctl bootout`. KeepAlive restarts the server after a crash but not after a clean exit,
 * so stopping it on purpose does not fight launchd.
 */
import { join } from "node:path";
import type { ServiceDefinition } from "./service-definition.ts";

export function launchAgentPath(home: string, label: string): string {
  return join(home, "Library", "LaunchAgents", `${label}.plist`);
}

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
const string = (text: string) => `<string>${escapeXml(text)}</string>`;

export function renderLaunchAgent(service: ServiceDefinition): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  ${string(service.label)}
  <key>ProgramArguments</key>
  <array>
${service.program.map((arg) => `    ${string(arg)}`).join("\n")}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ProcessType</key>
  ${string("Interactive")}
  <key>EnvironmentVariables</key>
  <dict>
    <key>PATH</key>
    ${string(service.path)}
  </dict>
  <key>StandardOutPath</key>
  ${string(service.logFile)}
  <key>StandardErrorPath</key>
  ${string(service.logFile)}
</dict>
</plist>
`;
}
