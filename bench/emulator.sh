# emulator.sh — sourced by the benchmarks in bench/ (not run on its own)
#
# bench_emulator_start TMPDIR [EMULATOR-ARGS…]: starts tests/emulator/stompy-emulator.py on a
# free loopback port, exits with it when this shell exits (--exit-with-stdin on fd 4), sets
# BENCH_URL and BENCH_EMULATOR_PID. bench_control METHOD PATH [JSON]: the emulator's control
# API (prints the answer). bench_write_aws_files DIR: an AWS config and credentials file with
# the profiles "emulator-management" and "emulator-solo" (the management and the
# standalone account, keys from accounts.json), for both
# our CLI and the aws CLI. Expects to be sourced from the repository root.

bench_emulator_start () {
  local tmp=$1 url_line
  shift
  mkfifo "$tmp/emulator.out" "$tmp/emulator.in"
  python3 tests/emulator/stompy-emulator.py --port 0 --exit-with-stdin "$@" \
    > "$tmp/emulator.out" 2> "$tmp/emulator.log" < "$tmp/emulator.in" &
  BENCH_EMULATOR_PID=$!
  # Open the pipes in the order the emulator's redirections do, or both sides wait forever.
  exec 3< "$tmp/emulator.out"
  exec 4> "$tmp/emulator.in"
  if ! IFS= read -r -t 30 url_line <&3 || [[ "$url_line" != STOMPY_EMULATOR_URL=* ]]; then
    echo "bench: the emulator did not start:" >&2
    cat "$tmp/emulator.log" >&2
    return 1
  fi
  BENCH_URL=${url_line#STOMPY_EMULATOR_URL=}
}

bench_control () {
  local method=$1 path=$2 body=${3:-}
  if [ -n "$body" ]; then
    curl -sS --fail -X "$method" -H 'Content-Type: application/json' --data "$body" \
      "$BENCH_URL/_emulator/$path"
  else
    curl -sS --fail -X "$method" "$BENCH_URL/_emulator/$path"
  fi
}

bench_write_aws_files () {
  local dir=$1
  python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
aws = json.load(open("tests/emulator/accounts.json"))["aws"]
profiles = {"emulator-management": "AKIAEMULATORMGMT0001", "emulator-solo": "AKIAEMULATORSOLO0001"}
with open(os.path.join(d, "aws-config"), "w") as f:
    for name in profiles:
        f.write(f"[profile {name}]\nregion = ap-southeast-1\n\n")
with open(os.path.join(d, "aws-credentials"), "w") as f:
    for name, key in profiles.items():
        f.write(f"[{name}]\naws_access_key_id = {key}\n"
                f"aws_secret_access_key = {aws[key]['secret']}\n\n")
os.chmod(os.path.join(d, "aws-credentials"), 0o600)
PY
}
