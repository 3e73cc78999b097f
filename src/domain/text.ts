/**
 * Turning tart's raw output into log lines: tart's interactive logger rewrites the previous line
 * with `ESC[1A CR ESC[J` even into a pipe, so escapes and carriage returns are
 * removed before a line is stored or shown.
 */
// CSI sequences, OSC sequences and lone ESC-x pairs.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

export function cleanLine(raw: string): string {
  let line = raw.replace(ANSI, "");
  const cr = line.lastIndexOf("\r");
  if (cr >= 0) line = cr === line.length - 1 ? line.slice(0, cr) : line.slice(cr + 1);
  // Remaining control characters (except tab) would only garble a log view.
  return line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}

/** "42%" → 42: tart prints pull progress as whole percentages on their own line. */
export function progressOf(line: string): number | null {
  const match = /^(\d{1,3})%$/.exec(line.trim());
  if (!match) return null;
  const value = Number(match[1]);
  return value <= 100 ? value : null;
}

/** The first non-empty line of a stream: what a failure message should quote. */
export function firstLine(text: string | null | undefined): string | null {
  if (!text) return null;
  for (const raw of text.split("\n")) {
    const line = cleanLine(raw).trim();
    if (line) return line;
  }
  return null;
}
