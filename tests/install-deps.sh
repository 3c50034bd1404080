#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing, trying and benchmarking Stompy Connect
# need. Only missing packages are installed; nothing happens when all are present.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(
  # Build
  meson ninja-build pkg-config gcc libc6-dev gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  # glib-compile-schemas, gtk4-update-icon-cache (meson's gnome.post_install)
  libglib2.0-bin libgtk-4-bin
  # Sanitizer build and fuzzers (tests/run-tests.sh): clang, its ASan/UBSan/LSan and libFuzzer
  # runtimes, llvm-symbolizer for readable stacks (llvm-14; llvm puts it on PATH, where ASan looks)
  clang libclang-rt-14-dev llvm-14 llvm
  # Tests: emulator, headless display, session bus and keyring, data validators
  python3 xvfb xauth dbus gnome-keyring desktop-file-utils appstream flatpak-builder libxtst-dev
  # libFuzzer targets (tests/fuzz, -Dfuzzing=true): clang with its sanitizer and fuzzer runtimes
  clang libclang-rt-14-dev
  # Chinese UI text under Xvfb (tests, screenshots)
  fonts-noto-cjk
  # data/screenshots/take-screenshots.sh
  imagemagick
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "install-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
