// JSON as Foundation's JSONEncoder writes it with `.prettyPrinted` and nothing else (spec §5):
// 2-space indent, `"key" : value`, `/` escaped as `\/`, an empty array as `[` blank line `]`.
// Key order is shuffled once per process, the way a Swift Dictionary's seeded hash orders
// keys: stable within one run, different between runs, so a client that reads JSON by
// position breaks here just as it would against real tart.

const seed = (Math.random() * 0x7fffffff) | 0;

function keyRank(key: string): number {
  // FNV-1a mixed with the per-process seed: a cheap, well-spread hash.
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function escapeString(s: string): string {
  let r = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') r += '\\"';
    else if (ch === "\\") r += "\\\\";
    else if (ch === "/") r += "\\/";
    else if (ch === "\n") r += "\\n";
    else if (ch === "\r") r += "\\r";
    else if (ch === "\t") r += "\\t";
    else if (ch === "\b") r += "\\b";
    else if (ch === "\f") r += "\\f";
    else if (c < 0x20) r += "\\u" + c.toString(16).padStart(4, "0");
    else r += ch;
  }
  return r + '"';
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export function swiftJSON(value: JsonValue, indent = ""): string {
  const inner = indent + "  ";
  if (value === null) return "null";
  if (typeof value === "string") return escapeString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return `[\n\n${indent}]`;
    return `[\n${value.map((v) => inner + swiftJSON(v, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(value).sort((a, b) => keyRank(a) - keyRank(b));
  if (keys.length === 0) return `{\n\n${indent}}`;
  const members = keys.map((k) => `${inner}${escapeString(k)} : ${swiftJSON(value[k]!, inner)}`);
  return `{\n${members.join(",\n")}\n${indent}}`;
}
