/**
 * The Cirrus Labs Tart images the catalogue always offers, token or not, online or not. GHCR has
 * no repository listing (no /v2/_catalog), so which images exist has to be known; this list is
 * the one the image build pipelines push to. Their tags come from the registry at run time; the
 * `fallbackTag` is what can be offered when the registry cannot be asked.
 */
export interface CuratedImage {
  /** The repository under ghcr.io/cirruslabs/. */
  name: string;
  os: "darwin" | "linux";
  description: string;
  fallbackTag: string;
}

const macos = (release: string, version: string): CuratedImage[] => [
  {
    name: `macos-${release}-vanilla`,
    os: "darwin",
    description: `macOS ${version} as Apple ships it, with only the admin user, SSH and auto-login set up. Start here to build your own image.`,
    fallbackTag: "latest",
  },
  {
    name: `macos-${release}-base`,
    os: "darwin",
    description: `macOS ${version} with Homebrew and the command-line developer tools: a general-purpose build machine.`,
    fallbackTag: "latest",
  },
  {
    name: `macos-${release}-xcode`,
    os: "darwin",
    description: `macOS ${version} with Xcode, simulators and the usual iOS tooling; tagged by Xcode version.`,
    fallbackTag: "latest",
  },
];

const linux = (name: string, description: string, fallbackTag = "latest"): CuratedImage => ({ name, os: "linux", description, fallbackTag });

export const CURATED_IMAGES: readonly CuratedImage[] = [
  ...macos("tahoe", "26 Tahoe"),
  ...macos("sequoia", "15 Sequoia"),
  ...macos("sonoma", "14 Sonoma"),
  {
    name: "macos-runner",
    os: "darwin",
    description: "The macOS image Cirrus Labs runs CI on, Xcode versions included; tagged by macOS name (tahoe, sequoia, sonoma).",
    fallbackTag: "sequoia",
  },
  linux("ubuntu", "Ubuntu Server for Apple Silicon (arm64), rebuilt weekly; tags are releases such as 24.04 and 22.04."),
  linux("ubuntu-amd64", "Ubuntu Server for Intel Macs (amd64)."),
  linux("debian", "Debian (arm64), rebuilt weekly."),
  linux("fedora", "Fedora (arm64), rebuilt weekly."),
  linux("rocky", "Rocky Linux (arm64), a RHEL-compatible distribution, rebuilt weekly."),
  linux("ubuntu-runner-arm64", "Ubuntu with the tools of a GitHub Actions runner, for Linux CI jobs on Apple Silicon."),
  linux("ubuntu-runner-amd64", "Ubuntu with the tools of a GitHub Actions runner, for Intel Macs."),
];

export const CURATED_ORG = "cirruslabs";
export const CURATED_HOST = "ghcr.io";
