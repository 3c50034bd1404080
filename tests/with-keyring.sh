#!/bin/sh
# with-keyring.sh COMMAND [ARG…] — run COMMAND with a private, unlocked keyring
#
# A fresh HOME and XDG directories under a temporary directory, so that the
# developer's own keyring and files are never touched; a private D-Bus session
# (dbus-run-session) in which gnome-keyring-daemon's Secret Service runs with
# a new "login" collection unlocked (empty password). Exits with COMMAND's
# status and removes everything afterwards.
#
# The daemon and the bus never see DISPLAY, WAYLAND_DISPLAY or G_DEBUG, so a
# keyring prompt (unlocking a locked collection) fails at once instead of
# waiting on a screen for a click; COMMAND gets them back (the UI tests run
# under Xvfb).
# Standard output is left to COMMAND alone (TAP); our messages go to stderr.

set -u

if [ $# -lt 1 ]; then
  echo "usage: $0 COMMAND [ARG…]" >&2
  exit 2
fi

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    # A TAP plan that skips everything (meson runs the tests with --tap).
    echo "1..0 # SKIP with-keyring.sh: $tool is not installed"
    exit 0
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stompy-keyring.XXXXXX") || exit 1
# The document portal (started on the private bus when a GTK program runs) may
# still have its FUSE mount in the runtime directory: detach it, or rm fails
# and the directory is left behind.
cleanup () {
  if grep -qF " $tmp/runtime/doc " /proc/mounts 2>/dev/null; then
    fusermount -uz "$tmp/runtime/doc" 2>/dev/null || umount -l "$tmp/runtime/doc" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/state" "$tmp/runtime"
chmod 700 "$tmp/runtime"

# Whatever the caller had, the test sees only the private ones.
HOME="$tmp/home"
XDG_DATA_HOME="$tmp/data"
XDG_CONFIG_HOME="$tmp/config"
XDG_CACHE_HOME="$tmp/cache"
XDG_STATE_HOME="$tmp/state"
XDG_RUNTIME_DIR="$tmp/runtime"
export HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME XDG_RUNTIME_DIR
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK SECRET_BACKEND

# Kept from the bus, the daemon and what the bus activates (gcr-prompter),
# and given back to COMMAND: a display would let a prompt wait for a click,
# and G_DEBUG=fatal-warnings (set by meson for the tests) makes the prompter
# crash on "cannot open display" instead of exiting, which libsecret 0.20.5
# mishandles (g_task_return_error with a NULL error: the call never ends).
# Passed through the environment, not interpolated into the inner script.
STOMPY_KEYRING_DISPLAY="${DISPLAY-}"
STOMPY_KEYRING_WAYLAND_DISPLAY="${WAYLAND_DISPLAY-}"
STOMPY_KEYRING_G_DEBUG="${G_DEBUG-}"
export STOMPY_KEYRING_DISPLAY STOMPY_KEYRING_WAYLAND_DISPLAY STOMPY_KEYRING_G_DEBUG
unset DISPLAY WAYLAND_DISPLAY G_DEBUG

# The inner script runs inside the private bus.
inner='
  # --unlock reads the password of the new login keyring from stdin. It must
  # not be empty: with an empty one gnome-keyring 42 creates no login
  # collection, and the first store then asks (with a prompt) to create one.
  # It prints variables such as GNOME_KEYRING_CONTROL; timeout keeps a broken
  # daemon from hanging the test run.
  if vars=$(printf "stompy-test-keyring" | timeout 20 gnome-keyring-daemon --unlock --components=secrets 2>/dev/null); then
    old_ifs=$IFS
    IFS=$(printf "\n_"); IFS=${IFS%_}
    for line in $vars; do
      case $line in
        [A-Z_]*=*) export "$line" ;;
      esac
    done
    IFS=$old_ifs
  else
    echo "with-keyring.sh: gnome-keyring-daemon did not start; keyring tests will fail" >&2
  fi

  daemon_pid=$(timeout 5 dbus-send --session --print-reply --dest=org.freedesktop.DBus \
                 /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
                 string:org.freedesktop.secrets 2>/dev/null | sed -n "s/^ *uint32 //p")

  if [ -n "$STOMPY_KEYRING_DISPLAY" ]; then
    DISPLAY=$STOMPY_KEYRING_DISPLAY; export DISPLAY
  fi
  if [ -n "$STOMPY_KEYRING_WAYLAND_DISPLAY" ]; then
    WAYLAND_DISPLAY=$STOMPY_KEYRING_WAYLAND_DISPLAY; export WAYLAND_DISPLAY
  fi
  if [ -n "$STOMPY_KEYRING_G_DEBUG" ]; then
    G_DEBUG=$STOMPY_KEYRING_G_DEBUG; export G_DEBUG
  fi
  unset STOMPY_KEYRING_DISPLAY STOMPY_KEYRING_WAYLAND_DISPLAY STOMPY_KEYRING_G_DEBUG

  "$@"
  status=$?

  if [ -n "$daemon_pid" ]; then
    kill "$daemon_pid" 2>/dev/null
  fi
  exit $status
'

dbus-run-session -- sh -c "$inner" with-keyring "$@" </dev/null
status=$?

# dbus-run-session ends the bus; a daemon that outlived it holds nothing but
# the temporary directory, removed by the EXIT trap.
exit $status
