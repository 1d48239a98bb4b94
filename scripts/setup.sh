#!/usr/bin/env bash
# The README's first command: on Debian/Ubuntu installs whatever is missing (the Tauri system
# packages through apt, Rust through rustup, the npm packages), builds the UI, the desktop app and
# the `etrack` CLI, then opens the app in demo mode (a simulated fleet, no account, no network).
# Re-running it only does what is still missing, then opens the app again.
#
#   bash scripts/setup.sh              build and open the demo
#   ETRACK_NO_OPEN=1 bash scripts/setup.sh   build only
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

ensure_system_packages
ensure_rust
ensure_node

if ! has_cargo_package etrack-desktop || [ ! -f package.json ]; then
  # Until the desktop app lands, show the same demo fleet through the CLI.
  say "the desktop app is not in this checkout yet: building the etrack CLI"
  cargo build -p etrack-cli
  say "the demo fleet through the CLI: target/debug/etrack --demo devices"
  exec "$ROOT/target/debug/etrack" --demo devices
fi

ensure_npm_packages
say "building the UI (ui/dist, embedded into the app)"
npm run build
say "building the app and the CLI (debug; the first build takes a few minutes)"
cargo build -p etrack-desktop -p etrack-cli

app="$ROOT/target/debug/etrack-desktop"
say "built: $app and $ROOT/target/debug/etrack"
if [ "${ETRACK_NO_OPEN:-0}" = 1 ]; then
  say "ETRACK_NO_OPEN=1: not opening the app; run it with: ETRACK_DEMO=1 $app --demo"
  exit 0
fi
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  warn "no display (DISPLAY / WAYLAND_DISPLAY unset): cannot open the window here."
  say "on a desktop session run: ETRACK_DEMO=1 $app --demo"
  say "headless, e.g.: xvfb-run -a $app --demo   (or bash scripts/test.sh for the end-to-end tests)"
  say "meanwhile, the demo fleet through the CLI:"
  exec "$ROOT/target/debug/etrack" --demo devices
fi
say "opening etrack in demo mode (close the window to finish)"
export ETRACK_DEMO=1
exec "$app" --demo
