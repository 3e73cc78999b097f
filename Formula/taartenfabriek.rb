# Homebrew formula for de taartenfabriek. `bun run build --release` fills in url, sha256 and
# version for the darwin-arm64 archive it writes (src/release/formula.ts); commit the result with
# the release. The repository is its own tap: brew tap OWNER/taartenfabriek URL && brew install taartenfabriek.
class Taartenfabriek < Formula
  desc "Manage Tart virtual machines from a browser, curl or scripts"
  homepage "https://tart.run"
  url "https://example.invalid/taartenfabriek-darwin-arm64.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  version "0.0.0"

  depends_on arch: :arm64
  depends_on :macos

  def install
    bin.install "taartenfabriek"
  end

  def caveats
    <<~EOS
      Start it now and at every login:
        taartenfabriek service install
      Then open the dashboard:
        taartenfabriek open
    EOS
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/taartenfabriek --version")
  end
end
