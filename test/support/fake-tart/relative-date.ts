// `Accessed` in the text table: Foundation's RelativeDateTimeFormatter, `.full` units style,
// numeric, en_US ("3 minutes ago", "1 day ago"). The largest non-zero unit wins, as in
// Foundation. Edge wording (zero, the weeks/months switch) is not established (spec §7);
// a zero offset in the past reads "0 seconds ago", one in the future "in 0 seconds".

const units: [string, number][] = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["week", 7 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function relativeDate(thenMs: number, nowMs = Date.now()): string {
  const diff = Math.trunc((nowMs - thenMs) / 1000);
  const abs = Math.abs(diff);
  if (abs === 0) return thenMs <= nowMs ? "0 seconds ago" : "in 0 seconds";
  for (const [unit, secs] of units) {
    const n = Math.floor(abs / secs);
    if (n >= 1) {
      const phrase = `${n} ${unit}${n === 1 ? "" : "s"}`;
      return diff > 0 ? `${phrase} ago` : `in ${phrase}`;
    }
  }
  return "0 seconds ago";
}
