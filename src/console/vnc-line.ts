/**
 * tart's one line for `run --vnc-experimental`: `VNC server is running at
 * vnc://:<w1>-<w2>-<w3>-<w4>@127.0.0.1:<port>`, the only place its VNC password ever appears.
 * Read with a strict pattern (four lowercase words, host literally 127.0.0.1, a port), and
 * redacted wherever the line would otherwise be kept or shown.
 */

export interface VncEndpoint {
  port: number;
  password: string;
}

const LINE = /^VNC server is running at vnc:\/\/:([a-z]+(?:-[a-z]+){3})@127\.0\.0\.1:(\d{1,5})\s*$/;
/** Any `vnc://:secret@` userinfo, so a line in an unexpected shape is still never shown. */
const USERINFO = /(vnc:\/\/):[^@\s]*@/g;

export function parseVncLine(line: string): VncEndpoint | null {
  const match = LINE.exec(line);
  if (!match) return null;
  const port = Number(match[2]);
  return port > 0 && port < 65536 ? { port, password: match[1]! } : null;
}

/** The line as the task log shows it: the password replaced by `***`. */
export function redactVncLine(line: string): string {
  return line.replace(USERINFO, "$1:***@");
}
