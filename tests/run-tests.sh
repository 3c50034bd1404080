#!/usr/bin/env bash
# README command 2: install what the tests need, build with warnings as errors and run every
# test suite (unit, integration against the emulator, keyring, UI under Xvfb, data, po); then
# build again with clang, AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer (and the
# libFuzzer targets) and run every suite once more in that build.
#
#   bash tests/run-tests.sh [--no-sanitize | --sanitize-only] [MESON TEST ARGUMENTS…]
#
# build-tests/ is the normal build, build-sanitize/ the sanitizer one. --no-sanitize skips the
# sanitizer run (quicker while developing), --sanitize-only runs only it. Other arguments go to
# both `meson test` runs, e.g. `--suite unit`. Each run prints meson's summary; .ci/run adds
# them up. Exits non-zero when a build or a test failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

normal=1
sanitize=1
test_args=()
for arg in "$@"; do
  case $arg in
    --no-sanitize) sanitize=0 ;;
    --sanitize-only) normal=0 ;;
    *) test_args+=("$arg") ;;
  esac
done
if [ "$normal" -eq 0 ] && [ "$sanitize" -eq 0 ]; then
  echo "run-tests: --no-sanitize and --sanitize-only leave nothing to run" >&2
  exit 2
fi

bash tests/install-deps.sh

# setup DIR [OPTION…]: configure DIR, or reconfigure it with the same options.
setup () {
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi
}

status=0

if [ "$normal" -eq 1 ]; then
  setup build-tests -Dwerror=true
  # Build everything first: some tests use more than their own binary (the CLI,
  # the compiled translations and GSettings schema).
  ninja -C build-tests
  echo "run-tests: the normal build"
  meson test -C build-tests --print-errorlogs --num-processes 2 "${test_args[@]}" || status=$?
fi

if [ "$sanitize" -eq 1 ]; then
  # clang, because the libFuzzer targets (-Dfuzzing=true, their short runs are suite "fuzz")
  # need it; b_lundef=false because the sanitizer runtimes define symbols at run time.
  # tests/meson.build gives every test ASAN_OPTIONS, LSAN_OPTIONS (leak checking, with
  # tests/sanitizers/lsan.supp for the toolkit's own leaks) and UBSAN_OPTIONS.
  CC=clang setup build-sanitize -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dfuzzing=true
  ninja -C build-sanitize
  echo "run-tests: the sanitizer build (ASan, UBSan, LSan)"
  # Everything runs 2–3 times slower under ASan: scale each test's timeout. The fault matrix
  # runs in full in the normal build; here its persistent half (every operation and kind, the
  # error paths and messages) keeps the sanitizer run within CI's time.
  STOMPY_FAULT_CASES="${STOMPY_FAULT_CASES:-*/persistent}" \
  meson test -C build-sanitize --print-errorlogs --num-processes 2 --timeout-multiplier 3 \
    "${test_args[@]}" || status=$?
fi

exit "$status"
