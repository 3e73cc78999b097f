/**
 * A real darwin-arm64 executable, as `bun build --compile --target=bun-darwin-arm64` makes it
 * (ad-hoc signed by bun), from a one-line entry: the release check is tested on what bun really
 * produces. Bun needs its darwin runtime for this; it is in bun's cache once downloaded (this
 * machine has it: the build works offline).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function buildDarwinBinary(): string {
  const dir = mkdtempSync(join(tmpdir(), "darwin-binary-"));
  writeFileSync(join(dir, "entry.ts"), 'console.log("taartenfabriek test binary");\n');
  const outfile = join(dir, "taartenfabriek-darwin-arm64");
  const built = Bun.spawnSync([process.execPath, "build", "--compile", "--target=bun-darwin-arm64", join(dir, "entry.ts"), "--outfile", outfile], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (built.exitCode !== 0) throw new Error(`bun could not build a darwin-arm64 binary: ${built.stderr.toString()}`);
  return outfile;
}
