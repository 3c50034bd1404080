#!/usr/bin/env bash
# ui-responsiveness.sh — the longest main-loop stall during the whole flow in the UI
#
#   bash bench/ui-responsiveness.sh        # BENCH_RUNS=3 runs, BENCH_BUILD=build
#
# Builds and runs bench/ui-responsiveness.c (see its header: the real window driven through
# sign-in, AWS key, both products, a new report and bucket, both stacks, Connect, Done against
# the emulator with --delays zero, with a 1 ms high-priority probe and a frame-clock tick
# probe) under its own Xvfb, with GSettings in memory, libsecret's file backend on a
# throw-away file and a private XDG_STATE_HOME: nothing of the user's is read or written.
# Each run prints a per-step table, the whole flow's figures, the window's widget counts at each
# step and every stall over 30 ms (BENCH_STALL_MS) with its CLOCK_MONOTONIC times (for perf
# record -k CLOCK_MONOTONIC; BENCH_WIDGET_TYPES=1 adds the widget types) and the frame clock's
# layout and paint time in it; kept in bench/results/ui-responsiveness-DATE.md. Goal (issue #7):
# no stall longer than 50 ms. The driver reads each page 500 ms before acting (BENCH_THINK_MS;
# 0 acts at once, as the driver did before 2026-11-26).
# The renderer is GTK's default for the display (BENCH_GSK_RENDERER to choose another: under
# Xvfb the default is GL on Mesa's llvmpipe, which redraws the whole window for every frame on
# the CPU, about 28 ms a frame for a bare 1000×900 libadwaita window on the 2-core machine).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
runs=${BENCH_RUNS:-3}
build=${BENCH_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
ninja -C "$build" bench/ui-responsiveness data/gschemas.compiled > /dev/null

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stompy-bench-ui.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

export STOMPY_EMULATOR=$root/tests/emulator/stompy-emulator.py STOMPY_PYTHON=python3
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$build/data STOMPY_LOCALEDIR=$build/po
export NO_AT_BRIDGE=1 LC_ALL=C.UTF-8
export AWS_CONFIG_FILE=/nonexistent/aws-config AWS_SHARED_CREDENTIALS_FILE=/nonexistent/aws-credentials
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
unset LANGUAGE G_MESSAGES_DEBUG WAYLAND_DISPLAY
export SECRET_BACKEND=file SECRET_FILE_TEST_PASSWORD=bench
if [ -n "${BENCH_GSK_RENDERER:-}" ]; then export GSK_RENDERER=$BENCH_GSK_RENDERER; fi

result=bench/results/ui-responsiveness-$(date -u +%Y%m%dT%H%M%SZ).md
mkdir -p bench/results
: > "$tmp/out"
for n in $(seq 1 "$runs"); do
  mkdir -p "$tmp/state-$n"
  echo "## Run $n" >> "$tmp/out"
  # The emulator's request log (its standard error) is kept apart from the figures.
  if ! XDG_STATE_HOME=$tmp/state-$n SECRET_FILE_TEST_PATH=$tmp/keyring-$n \
       xvfb-run -a -s '-screen 0 1280x800x24' "$build/bench/ui-responsiveness" \
       >> "$tmp/out" 2> "$tmp/err-$n"; then
    echo "bench: the UI flow failed (run $n):" >&2
    grep -v '^stompy-emulator:' "$tmp/err-$n" | tail -n 20 >&2
    exit 1
  fi
  # The steps with the window's widget counts, and each stall over 30 ms with its times.
  grep '^bench:' "$tmp/err-$n" >> "$tmp/out" || true
  echo >> "$tmp/out"
done
tee "$result" < "$tmp/out"
