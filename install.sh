#!/bin/sh
# Installs de taartenfabriek:
#   curl -fsSL https://github.com/taartenfabriek/taartenfabriek/releases/latest/download/install.sh | sh
#
# Picks the archive for this machine (macOS on Apple Silicon, or Linux x86-64), downloads it with
# SHA256SUMS from the same place, refuses it unless its sum matches, and puts the binary in
# ~/.local/bin (or TAARTENFABRIEK_INSTALL_DIR, e.g. /usr/local/bin). A file fetched by curl gets
# no quarantine attribute, so Gatekeeper does not stop it as it stops a browser download.
#
# TAARTENFABRIEK_BASE_URL      where the archives are (default: the latest GitHub release)
# TAARTENFABRIEK_INSTALL_DIR   where the binary goes (default: ~/.local/bin)
set -eu

BASE_URL="${TAARTENFABRIEK_BASE_URL:-https://github.com/taartenfabriek/taartenfabriek/releases/latest/download}"
INSTALL_DIR="${TAARTENFABRIEK_INSTALL_DIR:-$HOME/.local/bin}"

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

platform() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os/$arch" in
    Darwin/arm64) echo darwin-arm64 ;;
    Linux/x86_64 | Linux/amd64) echo linux-x64 ;;
    Darwin/x86_64) fail "Tart runs on Apple Silicon only; this Mac has an Intel CPU" ;;
    *) fail "no build for $os on $arch (there are macOS arm64 and Linux x86-64 builds)" ;;
  esac
}

download() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --proto '=https,http' -o "$2" "$1" || fail "could not download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || fail "could not download $1"
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "neither sha256sum nor shasum is installed: cannot check the download"
  fi
}

target=$(platform)
archive="taartenfabriek-$target.tar.gz"
work=$(mktemp -d "${TMPDIR:-/tmp}/taartenfabriek-install.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

echo "Downloading $archive from $BASE_URL"
download "$BASE_URL/$archive" "$work/$archive"
download "$BASE_URL/SHA256SUMS" "$work/SHA256SUMS"

expected=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1 }' "$work/SHA256SUMS")
[ -n "$expected" ] || fail "SHA256SUMS lists no $archive"
actual=$(sha256 "$work/$archive")
[ "$actual" = "$expected" ] || fail "the download's SHA-256 is $actual but SHA256SUMS says $expected: not installed"

tar -xzf "$work/$archive" -C "$work" taartenfabriek || fail "$archive is not a valid archive"
mkdir -p "$INSTALL_DIR" || fail "cannot create $INSTALL_DIR"
# Into a temp name first, then renamed: a running server's binary is replaced, never half-written.
cp "$work/taartenfabriek" "$INSTALL_DIR/.taartenfabriek.new" || fail "cannot write to $INSTALL_DIR (try TAARTENFABRIEK_INSTALL_DIR=~/.local/bin, or sudo)"
chmod 0755 "$INSTALL_DIR/.taartenfabriek.new"
mv -f "$INSTALL_DIR/.taartenfabriek.new" "$INSTALL_DIR/taartenfabriek"

version=$("$INSTALL_DIR/taartenfabriek" --version 2>/dev/null || echo "?")
echo "Installed taartenfabriek $version to $INSTALL_DIR/taartenfabriek"
case ":$PATH:" in
  *":$INSTALL_DIR:"*) ;;
  *) echo "Add $INSTALL_DIR to your PATH, e.g.: echo 'export PATH=\"$INSTALL_DIR:\$PATH\"' >> ~/.zshrc" ;;
esac
echo "Next: taartenfabriek service install   (starts it now and at every login), then taartenfabriek open"
