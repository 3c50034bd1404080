#!/usr/bin/env bash
# Takes the screenshots referenced by data/io.stompy.Connect.metainfo.xml.in and the README.
#
# They are the real app walked through the whole flow against the local emulator under Xvfb,
# in English and in Simplified Chinese: the `layout-ui` test (tests/test-layout-ui.c) signs in,
# chooses both products, fills in a new Cost and Usage Report, creates the report and both role
# stacks, connects, and at each page checks that nothing is cut at 360 px, light and dark; with
# STOMPY_SCREENSHOT_DIR set it saves every page it checked. This script runs that test (so a
# screenshot is only taken of a layout that passed) and copies the AppStream set:
#
#   sign-in, products, analysaver-new-report, analysaver-status, spotainer, connect, done
#   — each NAME.png (English) and NAME-zh_CN.png — plus analysaver-status-dark.png and
#   analysaver-new-report-360.png (a phone-sized window).
#
# Usage: data/screenshots/take-screenshots.sh [BUILD_DIR]   (default: build)
# Environment: SCREENSHOT_DIR (default data/screenshots): where the PNGs go.
# Needs what the UI tests need (xvfb-run, gnome-keyring, python3) and a Chinese font
# (fonts-noto-cjk): without one the Chinese pages would show boxes, and the test fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
out_dir=${SCREENSHOT_DIR:-$root/data/screenshots}

pages=(sign-in products analysaver-new-report analysaver-status spotainer connect done)
extras=(analysaver-status-dark analysaver-new-report-360)

if ! fc-list :lang=zh-cn family | grep -q .; then
  echo "screenshots: no font covers Chinese; install fonts-noto-cjk" >&2
  exit 1
fi

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi

shots=$(mktemp -d "${TMPDIR:-/tmp}/stompy-screenshots.XXXXXX")
trap 'rm -rf "$shots"' EXIT

# meson test builds what the test needs (the app's library, the zh_CN catalogue) and runs it
# in the UI tests' environment: Xvfb at 1280×800, a private D-Bus and keyring, the emulator.
if ! STOMPY_SCREENSHOT_DIR=$shots meson test -C "$build" --print-errorlogs layout-ui; then
  echo "screenshots: the layout test failed; no screenshot was copied" >&2
  exit 1
fi

mkdir -p "$out_dir"
copy () {
  local from=$shots/layout-$1.png to=$out_dir/$2.png

  if [ ! -f "$from" ]; then
    echo "screenshots: the test saved no $(basename "$from")" >&2
    exit 1
  fi
  cp "$from" "$to"
  echo "screenshots: wrote $to ($(identify -format '%wx%h' "$to" 2> /dev/null || echo '?'))"
}

for page in "${pages[@]}"; do
  copy "$page" "$page"
  copy "$page-zh_CN" "$page-zh_CN"
done
for extra in "${extras[@]}"; do
  copy "$extra" "$extra"
done
