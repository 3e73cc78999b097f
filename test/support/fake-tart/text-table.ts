// The text tables of `list` and `get` as cfilipov/TextTable's PlainFormat lays them out
// (spec §4.1): left-aligned columns padded to the widest cell, header included, joined by
// one space; the last column is padded too and only the end of the whole text is trimmed,
// so every row but the last keeps trailing spaces. No rows prints nothing (an empty line).

export function renderTable(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return "";
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" ");
  return [line(headers), ...rows.map(line)].join("\n").trimEnd();
}
