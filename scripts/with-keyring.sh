#!/usr/bin/env bash
# Usage: scripts/with-keyring.sh [--home DIR] CMD [ARGS...]
#
# Runs CMD in a hermetic desktop session so that keychain code talks to a REAL Secret Service and
# nothing touches the user's own home, keyring or app data:
#   - HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME and XDG_RUNTIME_DIR inside DIR (default: a fresh temp dir, removed afterwards unless KEEP_TMP=1);
#   - a private D-Bus session bus (dbus-run-session);
#   - gnome-keyring-daemon serving org.freedesktop.secrets, its login keyring unlocked.
# CARGO_HOME and RUSTUP_HOME stay pinned to the real ones, so cargo keeps its caches and toolchain.
# Exit status: CMD's.
set -euo pipefail

if [ "${1:-}" = --inner ]; then
  # Second stage, inside dbus-run-session: the bus exists, start the keyring on it.
  shift
  keyring_log="$XDG_RUNTIME_DIR/gnome-keyring.log"
  printf '%s' "${ETRACK_TEST_KEYRING_PASSWORD:-test}" |
    gnome-keyring-daemon --foreground --unlock --components=secrets >"$keyring_log" 2>&1 &
  keyring_pid=$!
  trap 'kill "$keyring_pid" 2>/dev/null || true; wait "$keyring_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
      grep -q 'boolean true'; then
      break
    fi
    if ! kill -0 "$keyring_pid" 2>/dev/null; then
      echo "with-keyring: gnome-keyring-daemon exited:" >&2
      cat "$keyring_log" >&2
      exit 1
    fi
    sleep 0.1
  done
  # Fail here, not in the middle of a test, if the keyring does not store and return a secret.
  probe="probe-$$"
  printf '%s' "$probe" | secret-tool store --label='etrack test probe' etrack-test probe
  if [ "$(secret-tool lookup etrack-test probe)" != "$probe" ]; then
    echo "with-keyring: the Secret Service did not return a stored secret" >&2
    exit 1
  fi
  secret-tool clear etrack-test probe
  set +e
  "$@"
  status=$?
  set -e
  exit "$status"
fi

home=""
if [ "${1:-}" = --home ]; then
  home="$2"
  shift 2
fi
[ $# -gt 0 ] || {
  echo "usage: $0 [--home DIR] CMD [ARGS...]" >&2
  exit 2
}
for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "with-keyring: $tool not found (run scripts/setup.sh or scripts/test.sh to install it)" >&2
    exit 1
  }
done

export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
if [ -z "$home" ]; then
  home="$(mktemp -d "${TMPDIR:-/tmp}/etrack-home.XXXXXX")"
  if [ "${KEEP_TMP:-0}" != 1 ]; then
    trap 'rm -rf "$home"' EXIT
  fi
fi
mkdir -p "$home"
home="$(cd "$home" && pwd)"
export HOME="$home"
export XDG_CONFIG_HOME="$home/config"
export XDG_DATA_HOME="$home/data"
export XDG_CACHE_HOME="$home/cache"
export XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

# Not exec: the trap above removes the temp home after the command.
set +e
dbus-run-session -- bash "${BASH_SOURCE[0]}" --inner "$@"
status=$?
set -e
exit "$status"
