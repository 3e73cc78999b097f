/**
 * Fills Formula/taartenfabriek.rb for a release: its `url`, `sha256` and `version` lines get the
 * darwin-arm64 archive's address, sum and the version. Each of the three lines must be there
 * exactly once (a formula edited out of shape fails the release instead of shipping a stale sum).
 */
export interface FormulaFields {
  url: string;
  sha256: string;
  version: string;
}

const FIELD = (name: string) => new RegExp(`^(  ${name} )"[^"\\n]*"$`, "gm");

export function fillFormula(template: string, fields: FormulaFields): string {
  if (!/^[0-9a-f]{64}$/.test(fields.sha256)) throw new Error(`not a SHA-256: ${fields.sha256}`);
  if (/["\\#]/.test(fields.url) || /["\\#]/.test(fields.version)) throw new Error("a formula field may not hold quotes, backslashes or #");
  let text = template;
  for (const [name, value] of Object.entries(fields)) {
    const matches = text.match(FIELD(name))?.length ?? 0;
    if (matches !== 1) throw new Error(`the formula has ${matches} \`${name} "…"\` lines; it needs exactly one`);
    text = text.replace(FIELD(name), `$1"${value}"`);
  }
  return text;
}

/** The fields as the formula holds them (for tests and for the release summary). */
export function formulaFields(text: string): Partial<FormulaFields> {
  const read = (name: string) => new RegExp(`^  ${name} "([^"\\n]*)"$`, "m").exec(text)?.[1];
  return { url: read("url"), sha256: read("sha256"), version: read("version") };
}
