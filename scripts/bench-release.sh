#!/usr/bin/env bash
# Usage: scripts/bench-release.sh
#
# The release app's own figures (a benchmark, not a test: it prints figures and fails only when
# it cannot measure). Builds, on this machine, in this run:
#   - the release app and its .deb/.rpm (`npm run tauri build -- --bundles deb,rpm`);
#   - an empty Tauri 2 window the same way (bench/empty-window: release profile, the embedded
#     page through tauri's custom protocol, as `tauri build` does);
# then, under Xvfb through tauri-driver (scripts/e2e.sh), measures both and prints the ratios:
#   - start to first paint: the empty window's first frame; the app's first frame with the demo
#     fleet's markers, with 40 and with 500 vehicles (bench/release.bench.mjs);
#   - resident memory of all the app's processes after a minute (500 vehicles, live refresh on);
#   - a 100,000-point route in the real app: data in hand to drawn, and scrubbing frame times
#     (tests/e2e/playbackDraw.bench.mjs);
#   - bundle and binary sizes.
# Output also in test-output/bench-release/. Takes about 10 minutes on 2 cores (most of it the
# release compiles).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

OUT="$ROOT/test-output/bench-release"
mkdir -p "$OUT"

# One cargo run for both, so they share one build of Tauri and everything under it (the empty
# window adds no feature of its own); `tauri build` then only bundles.
say "building the release app and the empty Tauri 2 window (release, custom protocol)"
npm run build
cargo build --release --locked -p etrack-desktop -p etrack-empty-window --features tauri/custom-protocol
say "bundling the release app"
npm run tauri build -- --bundles deb,rpm --ci

APP="$ROOT/target/release/etrack-desktop"
EMPTY="$ROOT/target/release/etrack-empty-window"

say "measuring under Xvfb (this takes a few minutes)"
ETRACK_APP="$APP" ETRACK_EMPTY_APP="$EMPTY" E2E_OUTPUT="$OUT" \
  bash "$ROOT/scripts/e2e.sh" bench/release.bench.mjs tests/e2e/playbackDraw.bench.mjs | tee "$OUT/figures.log"

mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
{
  echo
  echo "sizes (release):"
  echo "  etrack-desktop binary          $(mb "$APP")"
  echo "  empty window binary            $(mb "$EMPTY")"
  for f in "$ROOT"/target/release/bundle/deb/*.deb "$ROOT"/target/release/bundle/rpm/*.rpm; do
    [ -f "$f" ] && printf '  %-30s %s\n' "$(basename "$f")" "$(mb "$f")"
  done
} | tee -a "$OUT/figures.log"
