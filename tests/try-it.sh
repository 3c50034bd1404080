#!/usr/bin/env bash
# README command 1: build Stompy Connect and run it against the local emulator of AWS and the
# Stompy API, with one AWS CLI profile per emulator key, so the whole onboarding can be walked
# without an AWS account. Nothing here touches a real AWS or Stompy endpoint or ~/.aws.
#
# Environment: TRY_IT_XVFB=1 runs a smoke check under Xvfb when there is no display
# (TRY_IT_SECONDS, default 15, is how long the app must stay up).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

bash tests/install-deps.sh

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${TRY_IT_XVFB:-}" != 1 ]; then
  cat >&2 <<'MSG'
try-it: Stompy Connect is a desktop application and needs a display, but neither DISPLAY nor
WAYLAND_DISPLAY is set. Run this from a graphical session (or over ssh -X), or set
TRY_IT_XVFB=1 for a headless smoke check under Xvfb.
MSG
  exit 1
fi

if [ -f build/build.ninja ]; then
  echo "try-it: reusing build/"
else
  meson setup build
fi
ninja -C build

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stompy-try-it.XXXXXX")
emulator_pid=
cleanup () {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The emulator prints exactly one line on stdout, its URL, and logs requests on stderr.
# Its standard input is a pipe this script holds open, so that it also stops when the script
# is killed without a chance to run its trap.
mkfifo "$tmp/emulator.out" "$tmp/emulator.in"
python3 tests/emulator/stompy-emulator.py --port 0 --exit-with-stdin \
  > "$tmp/emulator.out" 2> "$tmp/emulator.log" < "$tmp/emulator.in" &
emulator_pid=$!
# Open the pipes in the order the emulator's redirections do, or both sides wait forever.
exec 3< "$tmp/emulator.out"
exec 4> "$tmp/emulator.in"
url_line=
if ! IFS= read -r -t 30 url_line <&3 || [[ "$url_line" != STOMPY_EMULATOR_URL=* ]]; then
  echo "try-it: the emulator did not start:" >&2
  cat "$tmp/emulator.log" >&2
  exit 1
fi
url=${url_line#STOMPY_EMULATOR_URL=}

# One AWS CLI profile per emulator key. The keys are fixtures that exist nowhere but in the
# emulator, and the files live in a private temporary directory removed on exit.
python3 - "$root/tests/emulator/accounts.json" "$tmp" <<'PY'
import json, os, sys
accounts = json.load(open(sys.argv[1]))
out = sys.argv[2]
config, credentials = [], []
for key_id, key in accounts["aws"].items():
    profile = key["profile"]
    config.append(f"[profile {profile}]\nregion = ap-southeast-1\noutput = json\n")
    lines = [f"[{profile}]", f"aws_access_key_id = {key_id}",
             f"aws_secret_access_key = {key['secret']}"]
    if key.get("session_token"):
        lines.append(f"aws_session_token = {key['session_token']}")
    credentials.append("\n".join(lines) + "\n")
old = os.umask(0o077)
with open(os.path.join(out, "config"), "w") as f:
    f.write("\n".join(config))
with open(os.path.join(out, "credentials"), "w") as f:
    f.write("\n".join(credentials))
os.umask(old)
PY

export AWS_CONFIG_FILE=$tmp/config
export AWS_SHARED_CREDENTIALS_FILE=$tmp/credentials
export AWS_PROFILE=emulator-management
export AWS_ENDPOINT_URL=$url
export STOMPY_API_URL=$url/v1
export GSETTINGS_SCHEMA_DIR=$root/build/data
export STOMPY_LOCALEDIR=$root/build/po
# The emulator's state is in memory, so progress saved by an earlier run would point at stacks
# and reports that no longer exist: start from a fresh state directory each time.
export XDG_STATE_HOME=$tmp/state
mkdir -p "$XDG_STATE_HOME"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE

python3 - "$root/tests/emulator/accounts.json" "$url" <<'PY'
import json, sys
accounts = json.load(open(sys.argv[1]))
url = sys.argv[2]
print()
print("  Stompy Connect, wired to the local emulator at " + url)
print()
print("  Stompy sign-in:")
for email, user in accounts["stompy"]["users"].items():
    role = "admin" if user.get("admin") else "not an admin"
    print(f"    {email:<22} password: {user['password']}   ({role})")
print()
print("  AWS CLI profiles (the selected one is emulator-management):")
for key in accounts["aws"].values():
    print(f"    {key['profile']:<26} {key['description']}")
print()
print("  Chinese UI:  LANGUAGE=zh_CN bash tests/try-it.sh")
print()
PY

app=(build/src/stompy-connect)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  seconds=${TRY_IT_SECONDS:-15}
  echo "try-it: no display; smoke check under Xvfb for $seconds s (TRY_IT_XVFB=1)"
  status=0
  STOMPY_BENCH_FIRST_FRAME=1 timeout --kill-after=5 "$seconds" \
    xvfb-run -a -s "-screen 0 1280x800x24" sh tests/with-keyring.sh "${app[@]}" \
    > "$tmp/app.out" 3<&- 4>&- || status=$?
  if [ "$status" -ne 124 ]; then
    echo "try-it: the app exited with status $status before $seconds s" >&2
    exit 1
  fi
  if ! grep -q '^first-frame-us ' "$tmp/app.out"; then
    echo "try-it: the app stayed up but never drew a frame" >&2
    exit 1
  fi
  echo "try-it: smoke check passed: the app drew its window and stayed up for $seconds s"
  exit 0
fi

status=0
"${app[@]}" 3<&- 4>&- || status=$?
echo "try-it: emulator log: $(wc -l < "$tmp/emulator.log") requests served"
exit "$status"
