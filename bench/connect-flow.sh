#!/usr/bin/env bash
# connect-flow.sh — the whole automated connect flow: wall time, HTTP requests and connections
#
#   bash bench/connect-flow.sh            # BENCH_RUNS=5 of ours, BENCH_AWS_RUNS=3 of the aws CLI
#
# Ours: `stompy-connect-cli login` then `stompy-connect-cli connect --analysaver --spotainer
# --report stompy-cur --bucket stompy-cur-ACCOUNT --acknowledge-iam --yes` (a new report and its
# bucket, both role stacks, Connect, Stompy's checks followed to the end), from an empty state
# and a fresh emulator state each run. Baseline: bench/aws-cli-flow.sh, the same AWS and Stompy
# calls with Debian's aws CLI and curl (installed by that script if missing). Both against one
# emulator started with --delays none (the issue's "delays set to zero": stacks complete, and
# Stompy's checks settle, the moment they are asked for).
# Goal (issue #7): ours ≤ 1/20 of the aws CLI's wall time (medians).
#
# Also printed, from the emulator's GET /_emulator/stats of our last run: the HTTP requests per
# operation against the minimum the flow needs (one per needed operation, plus polls), any
# surplus by operation, and the number of TCP connections (goal: one per endpoint and process,
# kept alive by libsoup — the emulator is one endpoint for AWS and Stompy, and login and
# connect are two processes, so 2).
#
# The keyring is libsecret's file backend on a throw-away file (no daemon), the state lives in
# a temporary XDG_STATE_HOME, the AWS profile in temporary config files: nothing of the user's
# is read or written. Environment: BENCH_BUILD (default build), BENCH_RUNS, BENCH_AWS_RUNS.
# Results are also kept in bench/results/connect-flow-DATE.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
runs=${BENCH_RUNS:-5}
aws_runs=${BENCH_AWS_RUNS:-3}
build=${BENCH_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
ninja -C "$build" src/cli/stompy-connect-cli > /dev/null
cli=$build/src/cli/stompy-connect-cli

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stompy-bench-flow.XXXXXX")
cleanup () {
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
bench_emulator_start "$tmp" --delays none
bench_write_aws_files "$tmp"

export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
export AWS_PROFILE=emulator-management AWS_ENDPOINT_URL=$BENCH_URL STOMPY_API_URL=$BENCH_URL/v1
unset AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export SECRET_BACKEND=file SECRET_FILE_TEST_PASSWORD=bench LC_ALL=C.UTF-8
unset LANGUAGE G_MESSAGES_DEBUG

now_us () { echo "${EPOCHREALTIME//[!0-9]/}"; }

# ours N: one run of our flow; appends its wall time (µs) to $tmp/ours.
ours () {
  local n=$1 start end
  export XDG_STATE_HOME=$tmp/state-$n SECRET_FILE_TEST_PATH=$tmp/keyring-$n
  mkdir -p "$XDG_STATE_HOME"
  bench_control POST reset > /dev/null
  start=$(now_us)
  if ! printf 'correct horse battery staple\n' \
         | "$cli" login --email ops@example.com --password-stdin > "$tmp/ours-$n.out" 2>&1 \
     || ! "$cli" connect --analysaver --spotainer --report stompy-cur \
            --bucket stompy-cur-210987654321 --acknowledge-iam --yes \
            >> "$tmp/ours-$n.out" 2>&1; then
    echo "bench: stompy-connect-cli failed (run $n):" >&2
    cat "$tmp/ours-$n.out" >&2
    exit 1
  fi
  end=$(now_us)
  echo $(( end - start )) >> "$tmp/ours"
  bench_control GET stats > "$tmp/ours-stats.json"
}

# theirs N: one run of the aws CLI script; appends its wall time (µs) to $tmp/theirs.
theirs () {
  local n=$1 start end
  bench_control POST reset > /dev/null
  start=$(now_us)
  if ! bash bench/aws-cli-flow.sh "$BENCH_URL" > "$tmp/theirs-$n.out" 2>&1; then
    echo "bench: aws-cli-flow.sh failed (run $n):" >&2
    cat "$tmp/theirs-$n.out" >&2
    exit 1
  fi
  end=$(now_us)
  echo $(( end - start )) >> "$tmp/theirs"
  bench_control GET stats > "$tmp/theirs-stats.json"
}

: > "$tmp/ours"
: > "$tmp/theirs"
ours warmup
: > "$tmp/ours"
for n in $(seq 1 "$runs"); do ours "$n"; done
for n in $(seq 1 "$aws_runs"); do theirs "$n"; done

mkdir -p bench/results
python3 - "$tmp" "$runs" "$aws_runs" <<'PY' | tee "bench/results/connect-flow-$(date -u +%Y%m%dT%H%M%SZ).md"
import json, statistics, sys

tmp, runs, aws_runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ours = [int(l) / 1000 for l in open(f"{tmp}/ours")]
theirs = [int(l) / 1000 for l in open(f"{tmp}/theirs")]
stats = json.load(open(f"{tmp}/ours-stats.json"))
aws_stats = json.load(open(f"{tmp}/theirs-stats.json"))

# The operations the flow needs, once each, from an empty state and a fresh account: sign in;
# the onboarding facts; who the caller is and whether it is a management account; whether the
# bucket name is free or already ours, and where (HeadBucket); the bucket made, its public
# access block and its policy (a bucket made just now has none to read and merge into); the
# report defined; each template read (the progress figure's resource count); each stack looked
# for (an existing one is reused, never created twice) and created; Connect. Polls (stack
# progress after CreateStack, Stompy's checks) come on top.
needed = [
    "stompy:POST /sessions",
    "stompy:GET /aws/onboarding",
    "sts:GetCallerIdentity",
    "organizations:DescribeOrganization",
    "s3:HeadBucket",
    "s3:CreateBucket",
    "s3:PutPublicAccessBlock",
    "s3:PutBucketPolicy",
    "cur:PutReportDefinition",
    "templates:GET", "templates:GET",
    "cloudformation:DescribeStacks", "cloudformation:DescribeStacks",
    "cloudformation:CreateStack", "cloudformation:CreateStack",
    "stompy:POST /aws/accounts",
]
polls = {"cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents",
         "stompy:GET /aws/accounts/{id}"}

def table(requests):
    minimum = {}
    for op in needed:
        minimum[op] = minimum.get(op, 0) + 1
    surplus, missing, n_polls = {}, {}, 0
    for op, n in sorted(requests.items()):
        if op in polls:
            n_polls += max(n - minimum.get(op, 0), 0)
        elif n > minimum.get(op, 0):
            surplus[op] = n - minimum.get(op, 0)
    for op, n in minimum.items():
        if requests.get(op, 0) < n:
            missing[op] = n - requests.get(op, 0)
    return sum(requests.values()), n_polls, surplus, missing

total, n_polls, surplus, missing = table(stats["requests"])
aws_total, aws_polls, aws_surplus, _ = table(aws_stats["requests"])
m_ours, m_theirs = statistics.median(ours), statistics.median(theirs)

print(f"Raw wall times, ms: ours {sorted(round(v) for v in ours)}, "
      f"aws CLI {sorted(round(v) for v in theirs)}")
print()
print("Requests of our last run, by operation: "
      + ", ".join(f"{op} {n}" for op, n in sorted(stats["requests"].items())))
print(f"Minimum: {len(needed)} needed operations ({', '.join(needed)}) plus polls")
print(f"Ours: {total} requests = {total - n_polls} + {n_polls} polls; surplus: "
      + (", ".join(f"{op} +{n}" for op, n in surplus.items()) or "none")
      + ("; MISSING " + ", ".join(missing) if missing else ""))
print(f"aws CLI script: {aws_total} requests = {aws_total - aws_polls} + {aws_polls} polls, "
      f"{aws_stats['connections']} connections")
print(f"Connections (ours): {stats['connections']} (one endpoint: AWS and Stompy on one port)")
print()
print("| Flow | Runs | Wall time (median) | aws CLI script (median) | Ratio | Requests (minimum + polls) | Surplus | Connections |")
print("|---|---|---|---|---|---|---|---|")
print(f"| stompy-connect-cli login + connect | {runs} / {aws_runs} | {m_ours:.0f} ms "
      f"| {m_theirs:.0f} ms | 1/{m_theirs / m_ours:.1f} | {total} ({len(needed)} + {n_polls}) "
      f"| {sum(surplus.values())} | {stats['connections']} |")
PY
