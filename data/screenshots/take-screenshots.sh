#!/usr/bin/env bash
# Takes the AppStream screenshots referenced by data/io.stompy.Connect.metainfo.xml.in:
# the built app on its first page, in English and in Simplified Chinese, against the local
# emulator, under Xvfb (screen = the window's default size, so the root window is the app
# window), captured with ImageMagick's `import -window root`.
#
# Usage: data/screenshots/take-screenshots.sh [BUILD_DIR]   (default: build)
# Environment: SCREENSHOT_SETTLE_S (default 3): time after the first frame for the page's
# asynchronous start-up (keyring look-up, profile list) to finish drawing; SCREENSHOT_DIR
# (default data/screenshots): where the PNGs go.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
out_dir=${SCREENSHOT_DIR:-$root/data/screenshots}
width=900
height=700

# One Xvfb and one private session bus, in a throw-away home so that no user file is used.
if [ -z "${STOMPY_SCREENSHOTS_INNER:-}" ]; then
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build"
  fi
  ninja -C "$build"
  home=$(mktemp -d "${TMPDIR:-/tmp}/stompy-screenshots-home.XXXXXX")
  mkdir -m 700 "$home/runtime"
  status=0
  env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME -u XDG_STATE_HOME \
    -u DBUS_SESSION_BUS_ADDRESS -u WAYLAND_DISPLAY \
    STOMPY_SCREENSHOTS_INNER=1 HOME="$home" XDG_RUNTIME_DIR="$home/runtime" \
    xvfb-run -a -s "-screen 0 ${width}x${height}x24" \
    dbus-run-session -- bash "$0" "$build" || status=$?
  if grep -qF " $home/runtime/doc " /proc/mounts; then
    fusermount -uz "$home/runtime/doc" 2> /dev/null || umount -l "$home/runtime/doc" || true
  fi
  rm -rf "$home"
  exit "$status"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stompy-screenshots.XXXXXX")
pids=()
cleanup () {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

mkfifo "$tmp/emulator.out" "$tmp/emulator.in"
python3 tests/emulator/stompy-emulator.py --port 0 --exit-with-stdin \
  > "$tmp/emulator.out" 2> "$tmp/emulator.log" < "$tmp/emulator.in" &
pids+=($!)
exec 3< "$tmp/emulator.out"
exec 4> "$tmp/emulator.in"
if ! IFS= read -r -t 30 url_line <&3 || [[ "$url_line" != STOMPY_EMULATOR_URL=* ]]; then
  echo "screenshots: the emulator did not start:" >&2
  cat "$tmp/emulator.log" >&2
  exit 1
fi
url=${url_line#STOMPY_EMULATOR_URL=}

# The AWS CLI profiles of the emulator's keys, so the profile list shows something real.
python3 - "$root/tests/emulator/accounts.json" "$tmp" <<'PY'
import json, os, sys
accounts = json.load(open(sys.argv[1]))
os.umask(0o077)
with open(os.path.join(sys.argv[2], "config"), "w") as config, \
     open(os.path.join(sys.argv[2], "credentials"), "w") as credentials:
    for key_id, key in accounts["aws"].items():
        config.write(f"[profile {key['profile']}]\nregion = ap-southeast-1\n\n")
        credentials.write(f"[{key['profile']}]\naws_access_key_id = {key_id}\n"
                          f"aws_secret_access_key = {key['secret']}\n")
        if key.get("session_token"):
            credentials.write(f"aws_session_token = {key['session_token']}\n")
        credentials.write("\n")
PY

export STOMPY_API_URL=$url/v1
export AWS_ENDPOINT_URL=$url
export AWS_CONFIG_FILE=$tmp/config
export AWS_SHARED_CREDENTIALS_FILE=$tmp/credentials
export AWS_PROFILE=emulator-management
unset AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export GSETTINGS_SCHEMA_DIR=$build/data
export GSETTINGS_BACKEND=memory
export STOMPY_LOCALEDIR=$build/po
export SECRET_BACKEND=file
export SECRET_FILE_TEST_PATH=$tmp/screenshots.keyring
export SECRET_FILE_TEST_PASSWORD=screenshots
export GSK_RENDERER=cairo
export LANG=C.UTF-8
unset LC_ALL

# shoot NAME LANGUAGE: starts the app with LANGUAGE (empty: English), captures NAME.png.
shoot () {
  local name=$1 language=$2
  local out=$tmp/$name.out line first="" pid

  mkdir -p "$tmp/state-$name"
  mkfifo "$out"
  LANGUAGE=$language XDG_STATE_HOME=$tmp/state-$name STOMPY_BENCH_FIRST_FRAME=1 \
    "$build/src/stompy-connect" > "$out" 2> "$tmp/$name.err" 3<&- 4>&- &
  pid=$!
  pids+=("$pid")
  exec 6< "$out"
  while IFS= read -r -t 60 line <&6; do
    if [[ "$line" == first-frame-us\ * ]]; then
      first=1
      break
    fi
  done
  if [ -z "$first" ]; then
    echo "screenshots: $name: the app drew no frame within 60 s:" >&2
    sed -n '1,20p' "$tmp/$name.err" >&2
    exit 1
  fi
  sleep "${SCREENSHOT_SETTLE_S:-3}"
  if ! kill -0 "$pid" 2> /dev/null; then
    echo "screenshots: $name: the app exited:" >&2
    sed -n '1,20p' "$tmp/$name.err" >&2
    exit 1
  fi
  import -window root "$out_dir/$name.png"
  kill "$pid"
  wait "$pid" 2> /dev/null || true
  exec 6<&-
  echo "screenshots: wrote $out_dir/$name.png ($(identify -format '%wx%h' "$out_dir/$name.png"))"
}

shoot sign-in ''
shoot sign-in-zh_CN zh_CN
