#!/usr/bin/env bash
# Startup benchmark: time from launch to the window mapped and to the first painted frame, and
# resident memory 2 s after launch, of Stompy Connect against a bare libadwaita window
# (bench/bare-window.c) built here with the same toolkit. Both run BENCH_RUNS times (default 10,
# after one discarded warm-up launch each), alternating, under one Xvfb and one private D-Bus
# session; the medians and their ratios are printed as a markdown table for the README and kept
# in bench/results/, each time ratio with a 95 % bootstrap interval over the run's pairs of
# launches: how much the ratio owes to which launches happened to be slow. Runs at other times
# (other load on the machine) move more than that; to compare two builds, run them in turn,
# more than once.
#
# Protocol: each program is started with STOMPY_BENCH_FIRST_FRAME=1 and prints
# "mapped-us <g_get_real_time()> cpu-us <processor time>" when its toplevel GdkSurface becomes
# mapped (issue #7's "window mapped"), then "first-frame-us <g_get_real_time()> cpu-us
# <processor time>" after its first painted frame (stricter: the page is laid out and drawn);
# the launch time is taken from bash's EPOCHREALTIME (the same clock, microseconds) in the child
# just before exec. The processor time (user + system, all threads, from getrusage) spent
# until each point is reported beside the wall-clock time: it hardly moves when other
# work shares the machine, which the wall-clock time does.
#
# The app runs against the local emulator, with an empty state directory per launch, in-memory
# GSettings and libsecret's file backend on a throw-away file (no keyring daemon, no user data).
#
# Environment: BENCH_RUNS, BENCH_BUILD (build directory, default build), BENCH_RSS_DELAY_S (2),
# BENCH_APP (the program measured against the bare window, default BENCH_BUILD/src/stompy-connect;
# "bare-linked" measures the bare window linked, used or not, to every library the app links —
# libsoup, json-glib, libsecret and theirs —: what the app's link set costs by itself),
# BENCH_SMAPS_DIR (if set, /proc/PID/smaps of each launch is copied there when RSS is read).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

# One private session bus for every launch: both programs register on it as GApplications.
# Everything runs in a throw-away home and one private session bus, so that no user file,
# keyring or setting is read or written. The bus daemon and the services it activates (portal,
# accessibility bus, a keyring the portal starts) log to stdout and stderr, which are silenced;
# this script's own are passed along as fds 8 and 7.
if [ -z "${STOMPY_BENCH_IN_SESSION:-}" ]; then
  bench_home=$(mktemp -d "${TMPDIR:-/tmp}/stompy-bench-home.XXXXXX")
  mkdir -m 700 "$bench_home/runtime"
  status=0
  env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME -u XDG_STATE_HOME \
    -u DBUS_SESSION_BUS_ADDRESS \
    STOMPY_BENCH_IN_SESSION=1 HOME="$bench_home" XDG_RUNTIME_DIR="$bench_home/runtime" \
    dbus-run-session -- bash "$0" "$@" 7>&2 8>&1 > /dev/null 2> /dev/null || status=$?
  # The document portal may still have its FUSE mount in the runtime directory.
  if grep -qF " $bench_home/runtime/doc " /proc/mounts; then
    fusermount -uz "$bench_home/runtime/doc" 2> /dev/null \
      || umount -l "$bench_home/runtime/doc" 2> /dev/null || true
  fi
  rm -rf "$bench_home"
  exit "$status"
fi
exec 1>&8 2>&7 8>&- 7>&-

runs=${BENCH_RUNS:-10}
build=${BENCH_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
rss_delay_us=$(( ${BENCH_RSS_DELAY_S:-2} * 1000000 ))
app=${BENCH_APP:-$build/src/stompy-connect}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
if [ -z "${BENCH_APP:-}" ]; then
  ninja -C "$build" src/stompy-connect
fi
label="Stompy Connect $(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" meson.build | head -n 1)"
ninja -C "$build" data/gschemas.compiled po/zh_CN/LC_MESSAGES/stompy-connect.mo

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stompy-bench.XXXXXX")
pids=()
cleanup () {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck disable=SC2046  # pkg-config prints several words on purpose
cc -O2 -Wall -o "$tmp/bare-window" bench/bare-window.c $(pkg-config --cflags --libs libadwaita-1)
cc -O2 -Wall -o "$tmp/park-pointer" bench/park-pointer.c $(pkg-config --cflags --libs x11)
if [ "$app" = bare-linked ]; then
  # --no-as-needed: the libraries are loaded and relocated although the window uses none.
  # shellcheck disable=SC2046
  cc -O2 -Wall -o "$tmp/bare-linked" bench/bare-window.c -Wl,--no-as-needed \
    $(pkg-config --cflags --libs libadwaita-1 libsoup-3.0 json-glib-1.0 libsecret-1)
  app=$tmp/bare-linked
  label="Bare window linked to the app's libraries"
fi

# Xvfb tells its display number on a pipe once it accepts connections.
mkfifo "$tmp/displayfd"
Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp -noreset 5> "$tmp/displayfd" \
  2> "$tmp/xvfb.log" &
pids+=($!)
exec 5< "$tmp/displayfd"
if ! IFS= read -r -t 30 display_number <&5; then
  echo "bench: Xvfb did not start:" >&2
  cat "$tmp/xvfb.log" >&2
  exit 1
fi
exec 5<&-
export DISPLAY=:$display_number
unset WAYLAND_DISPLAY
# Out of both windows, so that no widget is hovered by chance (see bench/park-pointer.c).
"$tmp/park-pointer"

mkfifo "$tmp/emulator.out" "$tmp/emulator.in"
python3 tests/emulator/stompy-emulator.py --port 0 --exit-with-stdin \
  > "$tmp/emulator.out" 2> "$tmp/emulator.log" < "$tmp/emulator.in" &
pids+=($!)
# Open the pipes in the order the emulator's redirections do, or both sides wait forever.
exec 3< "$tmp/emulator.out"
exec 4> "$tmp/emulator.in"
if ! IFS= read -r -t 30 url_line <&3 || [[ "$url_line" != STOMPY_EMULATOR_URL=* ]]; then
  echo "bench: the emulator did not start:" >&2
  cat "$tmp/emulator.log" >&2
  exit 1
fi
url=${url_line#STOMPY_EMULATOR_URL=}

export STOMPY_API_URL=$url/v1
export AWS_ENDPOINT_URL=$url
export AWS_CONFIG_FILE=/nonexistent/aws-config
export AWS_SHARED_CREDENTIALS_FILE=/nonexistent/aws-credentials
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export GSETTINGS_SCHEMA_DIR=$build/data
export GSETTINGS_BACKEND=memory
export STOMPY_LOCALEDIR=$build/po
export SECRET_BACKEND=file
export SECRET_FILE_TEST_PATH=$tmp/bench.keyring
export SECRET_FILE_TEST_PASSWORD=bench
export LC_ALL=C.UTF-8
unset LANGUAGE

# launch NAME PROGRAM N: one launch; appends
# "NAME first_frame_us cpu_us rss_kb mapped_us mapped_cpu_us" to results.
launch () {
  local name=$1 program=$2 n=$3
  local out=$tmp/$name-$n.out state=$tmp/state-$name-$n
  local pid start line first cpu rss now mapped mapped_cpu

  mkdir -p "$state"
  mkfifo "$out"
  (
    echo "${EPOCHREALTIME//[!0-9]/}" > "$out.start"
    XDG_STATE_HOME=$state STOMPY_BENCH_FIRST_FRAME=1 exec "$program" 3<&- 4>&-
  ) > "$out" 2> "$out.err" &
  pid=$!
  exec 6< "$out"

  first=
  mapped=
  while IFS= read -r -t 60 line <&6; do
    if [[ "$line" =~ ^mapped-us\ ([0-9]+)\ cpu-us\ ([0-9]+)$ ]]; then
      mapped=${BASH_REMATCH[1]}
      mapped_cpu=${BASH_REMATCH[2]}
    elif [[ "$line" =~ ^first-frame-us\ ([0-9]+)\ cpu-us\ ([0-9]+)$ ]]; then
      first=${BASH_REMATCH[1]}
      cpu=${BASH_REMATCH[2]}
      break
    fi
  done
  if [ -z "$first" ]; then
    echo "bench: $name (launch $n) drew no frame within 60 s:" >&2
    sed -n '1,20p' "$out.err" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  # A surface is mapped before anything is drawn on it.
  if [ -z "$mapped" ]; then
    echo "bench: $name (launch $n) drew a frame but reported no mapped window" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  start=$(cat "$out.start")

  # Memory is read at a fixed time after launch, when startup work has settled.
  now=${EPOCHREALTIME//[!0-9]/}
  wait_us=$(( start + rss_delay_us - now ))
  if [ "$wait_us" -gt 0 ]; then
    sleep "$(printf '%d.%06d' $(( wait_us / 1000000 )) $(( wait_us % 1000000 )))"
  fi
  # When it was read, in ms after launch: the table says so, and a read before
  # the delay (as happened until 2026-11-27, when the wait of more than a second
  # was written as 0.<µs> s) stops the run.
  read_ms=$(( (${EPOCHREALTIME//[!0-9]/} - start) / 1000 ))
  if [ "$read_ms" -lt $(( rss_delay_us / 1000 )) ]; then
    echo "bench: $name (launch $n): memory read $read_ms ms after launch, before the delay" >&2
    exit 1
  fi
  rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
  # Where the memory is, mapping by mapping, for a comparison of the two programs.
  if [ -n "${BENCH_SMAPS_DIR:-}" ]; then
    mkdir -p "$BENCH_SMAPS_DIR"
    cp "/proc/$pid/smaps" "$BENCH_SMAPS_DIR/$name-$n.smaps" 2>/dev/null || true
  fi
  if [ -z "$rss" ]; then
    echo "bench: $name (launch $n) exited before its memory was read:" >&2
    sed -n '1,20p' "$out.err" >&2
    exit 1
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  exec 6<&-

  echo "$name $(( first - start )) $cpu $rss $(( mapped - start )) $mapped_cpu $read_ms" \
    >> "$tmp/results"
}

for n in $(seq 0 "$runs"); do
  launch app "$app" "$n"
  launch bare "$tmp/bare-window" "$n"
  if [ "$n" -eq 0 ]; then
    : > "$tmp/results"   # launch 0 is the warm-up
  fi
done

mkdir -p bench/results
python3 - "$tmp/results" "$runs" "$label" "${BENCH_RSS_DELAY_S:-2}" <<'PY' | tee "bench/results/startup-$(date -u +%Y%m%dT%H%M%SZ).md"
import random, statistics, sys
path, runs, build_label, rss_delay = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
# Per program: wall-clock and processor time to the mapped window and to the first frame, RSS.
keys = ("mapped", "mapped_cpu", "first", "cpu", "rss", "read")
data = {name: {key: [] for key in keys} for name in ("app", "bare")}
for line in open(path):
    name, first_us, cpu_us, rss_kb, mapped_us, mapped_cpu_us, read_ms = line.split()
    row = data[name]
    row["first"].append(int(first_us) / 1000)
    row["cpu"].append(int(cpu_us) / 1000)
    row["rss"].append(int(rss_kb) / 1024)
    row["mapped"].append(int(mapped_us) / 1000)
    row["mapped_cpu"].append(int(mapped_cpu_us) / 1000)
    row["read"].append(int(read_ms))
med = {name: {key: statistics.median(v) for key, v in row.items()} for name, row in data.items()}
app, bare = med["app"], med["bare"]

# How far the ratio of the medians can be trusted: launches alternate, so launch i of each
# program ran under the same conditions; resampling those pairs (with replacement, a fixed
# seed so that the same data prints the same interval) gives a 95 % bootstrap interval of the
# ratio of this run.
def interval(key):
    pairs = list(zip(data["app"][key], data["bare"][key]))
    rng = random.Random(0)
    ratios = []
    for _ in range(2000):
        sample = [rng.choice(pairs) for _ in pairs]
        ratios.append(statistics.median(a for a, _ in sample)
                      / statistics.median(b for _, b in sample))
    ratios.sort()
    return ratios[int(0.025 * len(ratios))], ratios[int(0.975 * len(ratios)) - 1]
for label, key, fmt in (("window mapped, ms", "mapped", "{:.0f}"),
                        ("processor time to the window mapped, ms", "mapped_cpu", "{:.0f}"),
                        ("first frame, ms", "first", "{:.0f}"),
                        ("processor time to the first frame, ms", "cpu", "{:.0f}"),
                        (f"RSS at {rss_delay} s, MiB", "rss", "{:.1f}"),
                        ("RSS read at, ms after launch", "read", "{:.0f}")):
    for name in ("app", "bare"):
        print(f"Raw {label}, {name} (launch order): "
              + " ".join(fmt.format(v) for v in data[name][key]))
print()
print("Medians of", runs, "launches of each; app / bare (ratio, its 95 % bootstrap interval).")
print()
print(f"| Build | Window mapped | CPU to mapped | First frame | CPU to first frame | RSS at {rss_delay} s |")
print("|---|---|---|---|---|---|")
def cell(key, unit="ms"):
    low, high = interval(key)
    return f"{app[key]:.0f} / {bare[key]:.0f} {unit} ({app[key] / bare[key]:.2f}×, {low:.2f}–{high:.2f})"
rss = f"{app['rss']:.1f} / {bare['rss']:.1f} MiB ({app['rss'] - bare['rss']:+.1f} MiB)"
print(f"| {build_label} | {cell('mapped')} | {cell('mapped_cpu')} | {cell('first')} "
      f"| {cell('cpu')} | {rss} |")
PY
