#!/usr/bin/env bash
# Usage: scripts/package-test.sh
#
# The Linux packages, end to end, as a fleet manager meets them (a step of scripts/test.sh):
#   1. `tauri build --debug --bundles deb,rpm`: the interface and the app (debug profile, so the
#      compile the tests already did is reused) bundled into a .deb and an .rpm;
#   2. both packages checked: name, version, licence, dependencies, the binary, the desktop entry
#      (desktop-file-validate) and one icon per hicolor size, each PNG of the size its folder says;
#   3. the .deb installed with apt on this machine, and the INSTALLED app (/usr/bin/etrack-desktop)
#      started under Xvfb through tauri-driver: the demo fleet is listed and drawn on the map
#      (tests/e2e/package/installed.mjs; screenshots in test-output/package/installed/);
#   4. `apt-get remove`: every file the package brought is gone, nothing else under /usr, /etc
#      or /opt changed, and the user's own data (settings, window state) is still there.
# Needs root or sudo for apt. Exit status 0 only when every check passed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

OUT="$ROOT/test-output/package"
PKG=etrack
BIN=/usr/bin/etrack-desktop
VERSION="$(node -p 'require("./src-tauri/tauri.conf.json").version ?? require("./package.json").version')"
rm -rf "$OUT"
mkdir -p "$OUT"

fail() {
  printf '%spackage-test: %s%s\n' "$C_RED" "$*" "$C_RESET" >&2
  exit 1
}
check() {
  printf '  ok  %s\n' "$*"
}

if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'install ok installed'; then
  fail "the package $PKG is already installed here: remove it first (apt-get remove $PKG)"
fi

say "building the .deb and .rpm (debug profile)"
npx tauri build --debug --bundles deb,rpm --ci
DEB="$(ls "$ROOT"/target/debug/bundle/deb/"${PKG}_${VERSION}"_*.deb)"
RPM="$(ls "$ROOT"/target/debug/bundle/rpm/"${PKG}-${VERSION}"-*.rpm)"
cp "$DEB" "$RPM" "$OUT/"

# Checks that a tree of package files has the binary, a valid desktop entry and its icons.
check_tree() {
  local tree="$1" what="$2" desktop icon size dir
  [ -x "$tree$BIN" ] || fail "$what: no executable $BIN"
  desktop="$tree/usr/share/applications/$PKG.desktop"
  [ -f "$desktop" ] || fail "$what: no desktop entry /usr/share/applications/$PKG.desktop"
  desktop-file-validate "$desktop" || fail "$what: the desktop entry does not validate"
  grep -qx "Exec=$(basename "$BIN")" "$desktop" || fail "$what: the desktop entry does not start $(basename "$BIN")"
  icon="$(sed -n 's/^Icon=//p' "$desktop")"
  local sizes=0
  for size in 32 64 128 256 512; do
    dir="$tree/usr/share/icons/hicolor/${size}x${size}/apps"
    [ -f "$dir/$icon.png" ] || fail "$what: no ${size}x${size} icon $icon.png"
    file "$dir/$icon.png" | grep -q "PNG image data, $size x $size" ||
      fail "$what: $dir/$icon.png is not a ${size}x${size} PNG"
    sizes=$((sizes + 1))
  done
  check "$what: $BIN, desktop entry (valid, Exec=$(basename "$BIN"), Icon=$icon), $sizes icon sizes"
}

say "checking the .deb: $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"
[ "$(dpkg-deb -f "$DEB" Package)" = "$PKG" ] || fail ".deb: wrong package name"
[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ] || fail ".deb: version is not $VERSION"
dpkg-deb -f "$DEB" Depends | grep -q libwebkit2gtk-4.1 || fail ".deb: does not depend on WebKitGTK 4.1"
check ".deb: $PKG $VERSION, depends on $(dpkg-deb -f "$DEB" Depends)"
mkdir -p "$OUT/deb-tree"
dpkg-deb -x "$DEB" "$OUT/deb-tree"
check_tree "$OUT/deb-tree" ".deb"

say "checking the .rpm: $(basename "$RPM") ($(du -h "$RPM" | cut -f1))"
[ "$(rpm -qp --qf '%{NAME} %{VERSION} %{LICENSE}' "$RPM" 2>/dev/null)" = "$PKG $VERSION MIT" ] ||
  fail ".rpm: name, version or licence wrong: $(rpm -qp --qf '%{NAME} %{VERSION} %{LICENSE}' "$RPM")"
rpm -qpR "$RPM" 2>/dev/null | grep -q 'libwebkit2gtk-4.1' || fail ".rpm: does not require WebKitGTK 4.1"
check ".rpm: $PKG $VERSION MIT, requires $(rpm -qpR "$RPM" 2>/dev/null | grep -v '^rpmlib' | paste -sd' ')"
mkdir -p "$OUT/rpm-tree"
# Debian's rpm2cpio exits 1 on these packages although it writes the whole archive; what is in
# it is checked below, file by file against the package's own list.
(cd "$OUT/rpm-tree" && { rpm2cpio "$RPM" || true; } | cpio -idm --quiet)
while IFS= read -r f; do
  [ -e "$OUT/rpm-tree$f" ] || fail ".rpm: $f listed but not in its archive"
done < <(rpm -qpl "$RPM" 2>/dev/null)
check_tree "$OUT/rpm-tree" ".rpm"

# What is on the system before the package arrives; compared after it is removed.
snapshot() {
  find /usr /etc /opt -xdev \( -name '*.cache' -o -path /usr/share/applications/mimeinfo.cache \) -prune \
    -o -print 2>/dev/null | LC_ALL=C sort
}
snapshot >"$OUT/before.txt"

installed=0
cleanup() {
  if [ "$installed" = 1 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$PKG" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

say "installing the .deb with apt"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$OUT/$(basename "$DEB")"
installed=1
dpkg-query -W -f='${Status}' "$PKG" | grep -q 'install ok installed' || fail "apt did not install $PKG"
dpkg -L "$PKG" >"$OUT/installed-files.txt"
check_tree "" "installed"

say "starting the installed app in demo mode under Xvfb"
E2E_HOME="$OUT/home" E2E_OUTPUT="$OUT" ETRACK_APP="$BIN" bash "$ROOT/scripts/e2e.sh" tests/e2e/package/installed.mjs
user_data="$OUT/home/installed/data/dev.etrack.desktop"
[ -d "$user_data" ] || fail "the app kept no data in $user_data"

say "removing the package"
as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$PKG"
installed=0
if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'install ok installed'; then
  fail "$PKG is still installed after apt-get remove"
fi
left=()
while IFS= read -r f; do
  [ -f "$f" ] && left+=("$f")
done <"$OUT/installed-files.txt"
[ ${#left[@]} -eq 0 ] || fail "files left by the package: ${left[*]}"
snapshot >"$OUT/after.txt"
if ! diff "$OUT/before.txt" "$OUT/after.txt" >"$OUT/system-diff.txt"; then
  cat "$OUT/system-diff.txt" >&2
  fail "installing and removing the package changed the system (above)"
fi
check "removed: none of its $(wc -l <"$OUT/installed-files.txt") paths left, /usr /etc /opt as before"
[ -d "$user_data" ] && [ -n "$(ls -A "$user_data")" ] || fail "removing the package took the user's data"
check "the user's data is still there: $(cd "$user_data" && find . -type f | wc -l) files in ${user_data#"$ROOT"/}"

printf '%spackage-test: the .deb and .rpm passed; screenshots in %s%s\n' "$C_GREEN" "${OUT#"$ROOT"/}/installed/" "$C_RESET"
