#!/usr/bin/env bash
# Usage: scripts/docs-screenshots.sh [E2E_OUTPUT]
#
# Copies the screenshots of the main views that the end-to-end tests took (test-output/e2e/ by
# default, after `scripts/e2e.sh` or `scripts/test.sh` passed) into docs/screenshots/, where the
# README shows them. Run it before a release (RELEASING.md) so the README shows the app as it is;
# it fails when a screenshot it needs is missing, so a renamed e2e step cannot leave a stale one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${1:-$ROOT/test-output/e2e}"
DEST="$ROOT/docs/screenshots"

# docs name <- e2e file/step screenshot
SHOTS=(
  "fleet.png fleet/03-map-markers.png"
  "vehicle.png fleet/05-device-details.png"
  "playback.png playback/01-playback-route.png"
  "replay.png playback/02-playback-replay.png"
  "geofence.png geofences/05-geofence-saved.png"
  "alarms.png geofences/09-alarms-view.png"
  "engine-stop.png operations/02-stop-engine-plate-typed.png"
  "command-log.png operations/08-command-log.png"
  "mileage.png operations/09-mileage-report.png"
  "accounts.png operations/10-accounts.png"
)

mkdir -p "$DEST"
missing=0
for entry in "${SHOTS[@]}"; do
  read -r name from <<<"$entry"
  if [ -f "$SRC/$from" ]; then
    cp "$SRC/$from" "$DEST/$name"
    echo "docs/screenshots/$name <- ${SRC#"$ROOT"/}/$from"
  else
    echo "missing: $SRC/$from (run scripts/e2e.sh first)" >&2
    missing=1
  fi
done
exit "$missing"
