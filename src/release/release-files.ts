/**
 * What a release publishes besides the binaries: one `.tar.gz` per target holding the binary as
 * `taartenfabriek` (mode 0755, so it runs once unpacked) and `SHA256SUMS` in the format
 * `sha256sum -c` and `shasum -a 256 -c` read. install.sh and the Homebrew formula download the
 * archives and check them against these sums. The archives are made by the system's `tar`
 * (argv, no shell): GNU tar and macOS's bsdtar both take these flags, and both keep the mode.
 */
import { copyFileSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ReleaseArtifact {
  /** e.g. darwin-arm64 */
  platform: string;
  archive: string;
  sha256: string;
}

export const archiveName = (platform: string) => `taartenfabriek-${platform}.tar.gz`;

export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  const reader = Bun.file(path).stream().getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) hasher.update(chunk.value);
  return hasher.digest("hex");
}

/** Archives each binary (platform → path) into `outDir`; writes SHA256SUMS; returns the artifacts. */
export async function writeReleaseFiles(outDir: string, binaries: Record<string, string>): Promise<ReleaseArtifact[]> {
  const artifacts: ReleaseArtifact[] = [];
  for (const [platform, binary] of Object.entries(binaries)) {
    const stage = mkdtempSync(join(tmpdir(), "taartenfabriek-release-"));
    try {
      copyFileSync(binary, join(stage, "taartenfabriek"));
      chmodSync(join(stage, "taartenfabriek"), 0o755);
      const archive = join(outDir, archiveName(platform));
      const tar = Bun.spawnSync(["tar", "-czf", archive, "-C", stage, "taartenfabriek"], { stderr: "pipe" });
      if (tar.exitCode !== 0) throw new Error(`tar failed for ${platform}: ${tar.stderr.toString().trim()}`);
      artifacts.push({ platform, archive, sha256: await sha256File(archive) });
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }
  writeFileSync(join(outDir, "SHA256SUMS"), artifacts.map((a) => `${a.sha256}  ${archiveName(a.platform)}\n`).join(""));
  return artifacts;
}
