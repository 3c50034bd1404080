#!/usr/bin/env bash
# README command 2: install what the tests need, build with warnings as errors and run every
# test suite (unit, integration against the emulator, keyring, UI under Xvfb, data, po).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tests/install-deps.sh

if [ -f build-tests/build.ninja ]; then
  meson setup --reconfigure build-tests -Dwerror=true
else
  meson setup build-tests -Dwerror=true
fi

# Build everything first: some tests use more than their own binary (the CLI,
# the compiled translations and GSettings schema).
ninja -C build-tests

status=0
meson test -C build-tests --print-errorlogs --num-processes 2 "$@" || status=$?
exit "$status"
