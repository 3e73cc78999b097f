/**
 * The release step of `bun run build --release`, after the binaries are compiled: check the
 * darwin-arm64 binary's code signature (macho-signature.ts) — a mismatch fails the build — then
 * write the archives and SHA256SUMS (release-files.ts) and fill the Homebrew formula
 * (formula.ts) with the archive's URL under `baseUrl` and its sum.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { verifyMachOSignature } from "./macho-signature.ts";
import { archiveName, writeReleaseFiles, type ReleaseArtifact } from "./release-files.ts";
import { fillFormula } from "./formula.ts";

export interface ReleaseOptions {
  dist: string;
  /** platform → compiled binary */
  binaries: Record<string, string>;
  version: string;
  /** Where the archives will be downloaded from (the release's download folder). */
  baseUrl: string;
  formula: string;
  log: (line: string) => void;
}

export async function release(options: ReleaseOptions): Promise<ReleaseArtifact[]> {
  const darwin = options.binaries["darwin-arm64"];
  if (darwin) {
    const [slice] = verifyMachOSignature(new Uint8Array(await Bun.file(darwin).arrayBuffer()));
    options.log(`release: darwin-arm64 signature checked: ${slice!.pages} pages of ${slice!.pageSize} bytes match their ${slice!.hash} hashes`);
  }
  const artifacts = await writeReleaseFiles(options.dist, options.binaries);
  const mac = artifacts.find((a) => a.platform === "darwin-arm64");
  if (mac) {
    const url = `${options.baseUrl.replace(/\/+$/, "")}/${archiveName("darwin-arm64")}`;
    writeFileSync(options.formula, fillFormula(readFileSync(options.formula, "utf8"), { url, sha256: mac.sha256, version: options.version }));
    options.log(`release: ${options.formula} now points at ${url}`);
  }
  for (const a of artifacts) options.log(`release: ${a.archive} ${a.sha256}`);
  return artifacts;
}
