#!/usr/bin/env bash
# Runs one libFuzzer target of tests/fuzz.
#
#   bash tests/fuzz/run-fuzzer.sh TARGET [libFuzzer args…]
#   e.g. bash tests/fuzz/run-fuzzer.sh fuzz-xml -runs=1000000
#
# Configures (once) and builds $FUZZ_BUILD_DIR (default build-fuzz/) with clang,
# -Dfuzzing=true and ASan+UBSan, then fuzzes from a working corpus
# ($FUZZ_BUILD_DIR/fuzz-corpus/TARGET, seeded from tests/fuzz/corpus/TARGET, so
# the repository's seeds are never modified) with the target's dictionary.
# Crashes, leaks and timeouts land in $FUZZ_BUILD_DIR/fuzz-artifacts/TARGET/;
# replay one with `$FUZZ_BUILD_DIR/tests/fuzz/TARGET FILE`.
#
#   bash tests/fuzz/run-fuzzer.sh --exe PATH TARGET [args…]
# runs an already built binary over a temporary copy of the seeds, removed
# afterwards (what the "fuzz" test suite does, with -max_total_time=8).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_root="$(cd "$here/../.." && pwd)"

exe=
if [ "${1:-}" = "--exe" ]; then
  exe="$2"
  shift 2
fi
if [ $# -lt 1 ]; then
  echo "usage: $0 [--exe PATH] TARGET [libFuzzer args…]" >&2
  echo "targets: $(cd "$here/corpus" && echo *)" >&2
  exit 2
fi
target="$1"
shift
seeds="$here/corpus/$target"
if [ ! -d "$seeds" ]; then
  echo "run-fuzzer: no seed corpus $seeds" >&2
  exit 2
fi

# Findings must stop the run: UBSan only reports by default. GLib's slice
# allocator would hide use-after-free from ASan on GLib 2.74.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export G_SLICE=always-malloc
export LC_ALL=C.UTF-8

args=()
if [ -f "$here/$target.dict" ]; then
  args+=("-dict=$here/$target.dict")
fi

if [ -n "$exe" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/stompy-$target.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  mkdir "$work/corpus" "$work/artifacts"
  cp "$seeds"/* "$work/corpus/"
  status=0
  "$exe" "${args[@]}" -artifact_prefix="$work/artifacts/" -timeout=10 "$@" "$work/corpus" || status=$?
  if [ "$status" -ne 0 ]; then
    for artifact in "$work/artifacts"/*; do
      [ -f "$artifact" ] || continue
      echo "run-fuzzer: finding $(basename "$artifact"), base64:"
      base64 -w 0 "$artifact"
      echo
    done
  fi
  exit "$status"
fi

build="${FUZZ_BUILD_DIR:-$source_root/build-fuzz}"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$source_root" -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$build" "tests/fuzz/$target"

corpus="$build/fuzz-corpus/$target"
artifacts="$build/fuzz-artifacts/$target"
mkdir -p "$corpus" "$artifacts"
cp -n "$seeds"/* "$corpus/"
exec "$build/tests/fuzz/$target" "${args[@]}" -artifact_prefix="$artifacts/" -timeout=10 \
  -print_final_stats=1 "$@" "$corpus"
