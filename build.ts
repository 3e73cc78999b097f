/**
 * build.ts — one command from sources to the single executable.
 *
 *   bun build.ts             dist/taartenfabriek for this machine
 *   bun build.ts --release   also dist/taartenfabriek-darwin-arm64 and dist/taartenfabriek-linux-x64,
 *                            minified, without source maps; checks the darwin-arm64 binary's code
 *                            signature, writes dist/taartenfabriek-<platform>.tar.gz and
 *                            dist/SHA256SUMS, and fills Formula/taartenfabriek.rb (src/release/).
 *                            --base-url URL (or TAARTENFABRIEK_RELEASE_URL): where the archives
 *                            will be downloaded from, for the formula
 *
 * Two steps, because the UI and the server are bundled for different targets:
 *  1. the SolidJS UI (ui/index.html) and the API reference page (ui/docs.html, Swagger UI) are
 *     bundled for the browser into dist/ui/ with hashed asset
 *     names, and a generated module (dist/ui-bundle.ts) imports every output file with
 *     `type: "file"` so that `--compile` embeds them;
 *  2. the server (src/main.ts) is compiled with that module standing in for the virtual import
 *     `taartenfabriek:ui-bundle`. Run from source, that import fails and the server serves a page
 *     that says the UI is not built — the API never depends on the UI.
 *
 * autoloadDotenv/autoloadBunfig are off: otherwise the binary would read `.env` and `bunfig.toml`
 * from whatever folder the user starts it in.
 */
import { SolidPlugin } from "@dschz/bun-plugin-solid";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { release as writeRelease } from "./src/release/release.ts";
import { SignatureError } from "./src/release/macho-signature.ts";
import { VERSION } from "./src/version.ts";

const root = import.meta.dir;
const dist = join(root, "dist");
const uiOut = join(dist, "ui");
const uiBundleModule = join(dist, "ui-bundle.ts");
const release = process.argv.includes("--release");

type Target = { bunTarget: Bun.Build.CompileTarget | null; file: string; platform?: string };
const targets: Target[] = [{ bunTarget: null, file: "taartenfabriek" }];
if (release) {
  targets.push({ bunTarget: "bun-darwin-arm64", file: "taartenfabriek-darwin-arm64", platform: "darwin-arm64" });
  targets.push({ bunTarget: "bun-linux-x64", file: "taartenfabriek-linux-x64", platform: "linux-x64" });
}
const baseUrlFlag = process.argv.indexOf("--base-url");
const releaseBaseUrl =
  (baseUrlFlag > 0 ? process.argv[baseUrlFlag + 1] : undefined) ||
  process.env.TAARTENFABRIEK_RELEASE_URL ||
  `https://github.com/taartenfabriek/taartenfabriek/releases/download/v${VERSION}`;

function fail(what: string, logs: readonly (BuildMessage | ResolveMessage)[]): never {
  console.error(`build: ${what} failed`);
  for (const log of logs) console.error(log);
  process.exit(1);
}

/** Step 1: the browser bundle. Returns the files written, relative to dist/ui. */
async function buildUi(): Promise<string[]> {
  rmSync(uiOut, { recursive: true, force: true });
  const entry = join(root, "ui", "index.html");
  if (!existsSync(entry)) return [];
  // The API reference (/docs) is its own page: Swagger UI and its CSS bundled from npm, no CDN.
  const docsPage = join(root, "ui", "docs.html");
  const result = await Bun.build({
    entrypoints: [entry, docsPage],
    outdir: uiOut,
    target: "browser",
    minify: true,
    sourcemap: "none",
    publicPath: "/",
    naming: { entry: "[name].[ext]", chunk: "assets/[name]-[hash].[ext]", asset: "assets/[name]-[hash].[ext]" },
    plugins: [SolidPlugin({ generate: "dom", hydratable: false, sourceMaps: false })],
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
  });
  if (!result.success) fail("UI bundle", result.logs);
  writeThirdPartyLicences();
  return listFiles(uiOut).map((file) => relative(uiOut, file));
}

/**
 * The browser bundle carries other people's code; their licences travel with it as /licenses.txt
 * (MPL-2.0 asks that noVNC's be available to whoever receives the code; MIT and Apache-2.0 ask for
 * the notices). Each package named here must be one the UI bundle imports.
 */
const BUNDLED_PACKAGES: [name: string, licenceFiles: string[]][] = [
  ["@novnc/novnc", ["LICENSE.txt", "docs/LICENSE.MPL-2.0", "docs/LICENSE.BSD-2-Clause", "docs/LICENSE.BSD-3-Clause"]],
  ["@xterm/xterm", ["LICENSE"]],
  ["@xterm/addon-fit", ["LICENSE"]],
  ["solid-js", ["LICENSE"]],
  ["swagger-ui-dist", ["LICENSE"]],
];

function writeThirdPartyLicences(): void {
  const sections = BUNDLED_PACKAGES.map(([name, files]) => {
    const dir = join(root, "node_modules", name);
    const { version, license, homepage } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const texts = files.map((file) => `--- ${file} ---\n\n${readFileSync(join(dir, file), "utf8").trim()}\n`);
    return [`=== ${name} ${version} (${license})${homepage ? ` ${homepage}` : ""} ===`, "", ...texts].join("\n");
  });
  const head = "Third-party software in the de taartenfabriek web UI, with its licences.\n\n";
  writeFileSync(join(uiOut, "licenses.txt"), head + sections.join("\n\n"));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** The generated module: `{ "/assets/x-abc.js": <embedded file path>, ... }`. */
function writeUiBundleModule(files: string[]): void {
  const lines = [
    "// Generated by build.ts — do not edit. Maps URL paths to files embedded in the executable.",
  ];
  files.forEach((file, i) => {
    lines.push(`import f${i} from ${JSON.stringify(resolve(uiOut, file))} with { type: "file" };`);
  });
  lines.push("export const files: Record<string, string> = {");
  files.forEach((file, i) => lines.push(`  ${JSON.stringify("/" + file.split("\\").join("/"))}: f${i},`));
  lines.push("};");
  writeFileSync(uiBundleModule, lines.join("\n") + "\n");
}

/** Resolves the server's virtual import to the generated module. */
const uiBundlePlugin: Bun.BunPlugin = {
  name: "taartenfabriek-ui-bundle",
  setup(build) {
    build.onResolve({ filter: /^taartenfabriek:ui-bundle$/ }, () => ({ path: uiBundleModule }));
  },
};

async function compileServer(target: Target): Promise<void> {
  const outfile = join(dist, target.file);
  const result = await Bun.build({
    entrypoints: [join(root, "src", "main.ts")],
    minify: release,
    sourcemap: release ? "none" : "linked",
    // Bytecode skips parsing the bundle at every start; it needs the CommonJS output format.
    bytecode: true,
    format: "cjs",
    plugins: [uiBundlePlugin],
    compile: {
      outfile,
      ...(target.bunTarget ? { target: target.bunTarget } : {}),
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
  });
  if (!result.success) fail(`compiling ${target.file}`, result.logs);
}

mkdirSync(dist, { recursive: true });
if (release) rmSync(join(dist, "taartenfabriek.map"), { force: true }); // no source maps in a release
const started = performance.now();
const uiFiles = await buildUi();
writeUiBundleModule(uiFiles);
for (const target of targets) await compileServer(target);
if (release) {
  try {
    await writeRelease({
      dist,
      binaries: Object.fromEntries(targets.filter((t) => t.platform).map((t) => [t.platform!, join(dist, t.file)])),
      version: VERSION,
      baseUrl: releaseBaseUrl,
      formula: join(root, "Formula", "taartenfabriek.rb"),
      log: (line) => console.log(line),
    });
  } catch (error) {
    // A darwin-arm64 binary whose signature does not match its bytes is killed at launch on a Mac.
    console.error(`build: release failed: ${error instanceof SignatureError ? "darwin-arm64 code signature: " : ""}${(error as Error).message}`);
    process.exit(1);
  }
}
const summary = targets.map((t) => `${t.file} (${(statSync(join(dist, t.file)).size / 1e6).toFixed(1)} MB)`);
console.log(
  `build: ${uiFiles.length ? `${uiFiles.length} UI files` : "no UI (ui/index.html missing)"}; ` +
    `${summary.join(", ")} in ${Math.round(performance.now() - started)} ms`,
);
