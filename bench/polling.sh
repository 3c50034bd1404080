#!/usr/bin/env bash
# polling.sh — polling economy: requests a minute and CPU while stacks take minutes, and
# nothing once everything has settled
#
#   bash bench/polling.sh                       # stacks of 300 s (the recorded figure), ~13 min
#   BENCH_STACK_SECONDS=60 bash bench/polling.sh   # the quick mode, ~4 min
#
# Setup (the honest one we could build without a person at the window): one emulator with
# --delays zero except stacks, which take BENCH_STACK_SECONDS (POST /_emulator/timings). The
# CLI signs in, creates the report and bucket, and starts both role stacks with --no-wait;
# the state file and the (file-backend) keyring it used are the app's own. The products and
# the step are then written into that state file as the app's Products step saves them (the
# CLI's "stack create" does not choose products), and the UI app (src/stompy-connect) starts
# under Xvfb at the SpoTainer step: it signs in again from the keyring, checks the profile's
# credentials, and follows both stacks, the page and the status panel sharing one follower
# per stack, until they are complete — as after a restart in the middle of the flow.
#
# Measured:
#  1. app, following: from 10 s after launch (startup excluded) to 30 s after the stacks end
#     (their followers' last look is at most 15 s after):
#     the emulator's request counts (GET /_emulator/stats, sampled every second), the largest
#     count of DescribeStacks + DescribeStackEvents in any 60 s (for 2 stacks: goal ≤ 24, ≤ 12
#     per stack), and the app's CPU (/proc/PID/stat utime + stime) as % of one core (≤ 2 %);
#  2. app, settled: the next BENCH_SETTLED_SECONDS (default 120): requests of any kind (goal
#     0, and when any, how far into the window) and CPU;
#  3. the CLI following a stack ("stack create spotainer --acknowledge-iam" waits for it; there
#     is no "stack status --wait"): a SpoTainer stack of the standalone account, created and
#     followed by the CLI for BENCH_STACK_SECONDS: requests in any 60 s (goal ≤ 12), its CPU.
# Environment: BENCH_BUILD (default build), BENCH_STACK_SECONDS (300), BENCH_SETTLED_SECONDS
# (120), BENCH_GSK_RENDERER (GTK's default for the display unless set; under Xvfb the default
# is GL through llvmpipe, which makes every animated frame cost CPU). Results are also kept in bench/results/polling-DATE.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
build=${BENCH_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
stack_seconds=${BENCH_STACK_SECONDS:-300}
settled_seconds=${BENCH_SETTLED_SECONDS:-120}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
ninja -C "$build" src/stompy-connect src/cli/stompy-connect-cli data/gschemas.compiled > /dev/null
cli=$build/src/cli/stompy-connect-cli
app=$build/src/stompy-connect

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stompy-bench-poll.XXXXXX")
pids=()
cleanup () {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  exec 3<&- 4>&- 2> /dev/null || true
  if [ -n "${BENCH_EMULATOR_PID:-}" ]; then
    kill "$BENCH_EMULATOR_PID" 2> /dev/null || true
    wait "$BENCH_EMULATOR_PID" 2> /dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=bench/emulator.sh
. bench/emulator.sh
bench_emulator_start "$tmp" --delays zero
bench_write_aws_files "$tmp"

export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
export AWS_PROFILE=emulator-management AWS_ENDPOINT_URL=$BENCH_URL STOMPY_API_URL=$BENCH_URL/v1
unset AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export SECRET_BACKEND=file SECRET_FILE_TEST_PASSWORD=bench SECRET_FILE_TEST_PATH=$tmp/keyring
export XDG_STATE_HOME=$tmp/state GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$build/data
export STOMPY_LOCALEDIR=$build/po NO_AT_BRIDGE=1 LC_ALL=C.UTF-8
unset LANGUAGE G_MESSAGES_DEBUG WAYLAND_DISPLAY
if [ -n "${BENCH_GSK_RENDERER:-}" ]; then export GSK_RENDERER=$BENCH_GSK_RENDERER; fi
mkdir -p "$XDG_STATE_HOME"

now_us () { echo "${EPOCHREALTIME//[!0-9]/}"; }
# The emulator's per-operation counts now, as "op<TAB>n" lines.
stats () {
  bench_control GET stats | python3 -c '
import json, sys
for op, n in sorted(json.load(sys.stdin)["requests"].items()):
    print(f"{op}\t{n}")'
}
# Samples the counts every second into $1 ("time_us<TAB>op<TAB>n"), until killed.
sample () {
  local out=$1 t
  while :; do
    t=$(now_us)
    stats | sed "s/^/$t\t/" >> "$out"
    sleep 1
  done
}
cpu_ticks () { awk '{print $14 + $15}' "/proc/$1/stat"; }

bench_control POST timings "{\"stack_seconds\": $stack_seconds}" > /dev/null
printf 'correct horse battery staple\n' \
  | "$cli" login --email ops@example.com --password-stdin > "$tmp/cli.log" 2>&1
"$cli" cur create --report stompy-cur --bucket stompy-cur-210987654321 --yes >> "$tmp/cli.log" 2>&1
created_us=$(now_us)
"$cli" stack create analysaver --acknowledge-iam --no-wait >> "$tmp/cli.log" 2>&1
"$cli" stack create spotainer --acknowledge-iam --no-wait >> "$tmp/cli.log" 2>&1

# What the app's Products step and its step changes would have saved.
python3 - "$XDG_STATE_HOME/stompy-connect/state.json" <<'PY'
import json, sys
path = sys.argv[1]
state = json.load(open(path))
state["products"] = ["analysaver", "spotainer"]
state["step"] = "spotainer"
state["profile"] = "emulator-management"
json.dump(state, open(path, "w"), indent=2)
PY

# --- 1. the app following both stacks
sample "$tmp/samples" &
sampler=$!
pids+=($sampler)
xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
  sh -c 'echo $$ > "$1"; exec "$2"' sh "$tmp/app.pid" "$app" > "$tmp/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/app.pid" ] && break; sleep 0.1; done
app_pid=$(cat "$tmp/app.pid")
launched_us=$(now_us)
sleep 10
follow_start_us=$(now_us)
follow_start_cpu=$(cpu_ticks "$app_pid")
done_us=$(( created_us + stack_seconds * 1000000 ))
# The followers' last look comes at most STOMPY_STACK_WATCH_MAX_DELAY_MS (15 s) after the stacks
# end; 30 s later everything has settled and the settled window starts.
while [ "$(now_us)" -lt $(( done_us + 30000000 )) ]; do sleep 1; done
follow_end_us=$(now_us)
follow_end_cpu=$(cpu_ticks "$app_pid")

# --- 2. the app once everything has settled
settled_start_us=$(now_us)
settled_start_cpu=$(cpu_ticks "$app_pid")
sleep "$settled_seconds"
settled_end_us=$(now_us)
settled_end_cpu=$(cpu_ticks "$app_pid")
kill "$app_pid" 2> /dev/null || true

# --- 3. the CLI following a stack
# Another account (the standalone one), so that its role names are free without a deletion
# (which would take half the stack time), and its own state file; the same Stompy session.
export AWS_PROFILE=emulator-solo XDG_STATE_HOME=$tmp/state-cli
mkdir -p "$XDG_STATE_HOME"
cli_start_us=$(now_us)
"$cli" stack create spotainer --acknowledge-iam > "$tmp/cli-follow.log" 2>&1 &
cli_pid=$!
cli_cpu=0
while kill -0 "$cli_pid" 2> /dev/null; do
  cli_cpu=$(cpu_ticks "$cli_pid" 2> /dev/null || echo "$cli_cpu")
  sleep 1
done
wait "$cli_pid" || { echo "bench: the CLI's stack create failed:" >&2; cat "$tmp/cli-follow.log" >&2; exit 1; }
cli_end_us=$(now_us)
sleep 2
kill "$sampler" 2> /dev/null || true

mkdir -p bench/results
python3 - "$tmp/samples" "$(getconf CLK_TCK)" "$stack_seconds" \
  "$launched_us" "$follow_start_us" "$follow_end_us" "$follow_start_cpu" "$follow_end_cpu" \
  "$settled_start_us" "$settled_end_us" "$settled_start_cpu" "$settled_end_cpu" \
  "$cli_start_us" "$cli_end_us" "$cli_cpu" <<'PY' | tee "bench/results/polling-$(date -u +%Y%m%dT%H%M%SZ).md"
import collections, sys
(path, tck, stack_s, launched, f0, f1, fc0, fc1, s0, s1, sc0, sc1, c0, c1, ccpu) = sys.argv[1:]
tck = int(tck); stack_s = int(stack_s)
f0, f1, s0, s1, c0, c1, launched = map(int, (f0, f1, s0, s1, c0, c1, launched))
# samples: time, op, cumulative count → per-sample cumulative totals per kind
snap = collections.defaultdict(dict)
for line in open(path):
    t, op, n = line.rstrip("\n").split("\t")
    snap[int(t)][op] = int(n)
times = sorted(snap)
STACK_OPS = ("cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents")
def total(t, ops=None):
    return sum(n for op, n in snap[t].items() if ops is None or op in ops)
def at(t_us):  # the last sample at or before t_us
    best = times[0]
    for t in times:
        if t <= t_us: best = t
    return best
def max_per_minute(a, b, ops):
    """Largest count of ops within any 60 s window inside [a, b] (1 s sampling)."""
    ts = [t for t in times if a <= t <= b]
    best = 0
    for i, t in enumerate(ts):
        j = i
        while j + 1 < len(ts) and ts[j + 1] - t <= 60_000_000: j += 1
        best = max(best, total(ts[j], ops) - total(t, ops))
    return best, (ts[-1] - ts[0]) / 1e6 if ts else 0
def count(a, b, ops=None):
    return total(at(b), ops) - total(at(a), ops)
def ops_between(a, b):
    d = {op: n - snap[at(a)].get(op, 0) for op, n in snap[at(b)].items()}
    return ", ".join(f"{op} {n}" for op, n in sorted(d.items()) if n) or "none"
fmax, fspan = max_per_minute(f0, f1, STACK_OPS)
fcpu = (int(fc1) - int(fc0)) / tck / ((f1 - f0) / 1e6) * 100
scount = count(s0, s1)
scpu = (int(sc1) - int(sc0)) / tck / ((s1 - s0) / 1e6) * 100
cmax, cspan = max_per_minute(c0, c1, STACK_OPS)
ccpu_pct = int(ccpu) / tck / ((c1 - c0) / 1e6) * 100
print(f"Stacks of {stack_s} s. App following both stacks for {(f1 - f0) / 1e6:.0f} s "
      f"(from {(f0 - launched) / 1e6:.0f} s after launch): {count(f0, f1, STACK_OPS)} stack requests "
      f"({ops_between(f0, f1)}); at most {fmax} in any 60 s for 2 stacks "
      f"({fmax / 2:.1f} per stack; goal ≤ 12 per stack); CPU {fcpu:.2f} % of one core (goal ≤ 2 %).")
late = [f"{(t - s0) / 1e6:.0f} s" for prev, t in zip(times, times[1:])
        if s0 < t <= s1 and total(t) > total(prev)]
print(f"App settled, {(s1 - s0) / 1e6:.0f} s: {scount} requests ({ops_between(s0, s1)}; goal 0"
      + (f"; at {', '.join(late)} into the window" if late else "")
      + f"); CPU {scpu:.2f} % of one core.")
print(f"CLI `stack create spotainer` following one stack for {(c1 - c0) / 1e6:.0f} s: "
      f"{count(c0, c1, STACK_OPS)} stack requests; at most {cmax} in any 60 s (goal ≤ 12); "
      f"CPU {ccpu_pct:.2f} % of one core.")
print()
print("| stack time | app: max stack requests / 60 s (2 stacks) | per stack | app CPU following | app requests settled | app CPU settled | CLI: max / 60 s (1 stack) | CLI CPU |")
print("|---|---|---|---|---|---|---|---|")
print(f"| {stack_s} s | {fmax} | {fmax / 2:.1f} | {fcpu:.2f} % | {scount} in {(s1 - s0) / 1e6:.0f} s "
      f"| {scpu:.2f} % | {cmax} | {ccpu_pct:.2f} % |")
PY
