# Shared helpers for scripts/setup.sh and scripts/test.sh. Sourced, not run.
# Everything here is idempotent: it installs only what is missing, so both scripts can be re-run.

# The Tauri 2 system packages on Debian/Ubuntu (see /work/shared/PLATFORM-NOTES.md), plus what the
# tests use: Xvfb for a headless window, WebKitWebDriver, D-Bus + gnome-keyring for a real Secret
# Service, imagemagick for screenshots of the whole screen. A small CJK font: plates like 粤B12345
# (the demo fleet is in Shenzhen) would otherwise show as empty boxes on a minimal system.
# python3-venv: the virtualenv scripts/check-workflows.sh installs its linters into. rpm, cpio and
# desktop-file-utils: scripts/package-test.sh reads the .rpm and validates the desktop entry.
APT_PACKAGES=(
  build-essential pkg-config libwebkit2gtk-4.1-dev libssl-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev curl wget file ca-certificates
  xvfb xauth webkit2gtk-driver imagemagick dbus dbus-x11 gnome-keyring libsecret-1-dev
  libsecret-tools fonts-wqy-microhei python3-venv rpm cpio desktop-file-utils locales
)

NODE_MAJOR_MIN=20

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  C_BOLD=$'\e[1m' C_RED=$'\e[31m' C_GREEN=$'\e[32m' C_YELLOW=$'\e[33m' C_RESET=$'\e[0m'
else
  C_BOLD='' C_RED='' C_GREEN='' C_YELLOW='' C_RESET=''
fi

say() { printf '%s==>%s %s\n' "$C_BOLD" "$C_RESET" "$*"; }
warn() { printf '%swarning:%s %s\n' "$C_YELLOW" "$C_RESET" "$*" >&2; }
die() {
  printf '%serror:%s %s\n' "$C_RED" "$C_RESET" "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $* (install sudo or run this script as root)"
  fi
}

# Installs the apt packages that are not installed yet; does nothing (not even `apt-get update`)
# when all are present, so a re-run costs a second.
ensure_system_packages() {
  if [ "$(uname -s)" != Linux ]; then
    say "not Linux: skipping system packages (see README: prerequisites for macOS / Windows)"
    return 0
  fi
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    warn "no apt on this system: install the Tauri 2 prerequisites for your distribution yourself"
    warn "(https://v2.tauri.app/start/prerequisites/), plus Xvfb, WebKitWebDriver and gnome-keyring for the tests"
    return 0
  fi
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "system packages: all ${#APT_PACKAGES[@]} present"
    return 0
  fi
  say "installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Rust through rustup when cargo is missing; rustfmt and clippy components when rustup manages
# the toolchain.
ensure_rust() {
  if [ -f "${CARGO_HOME:-$HOME/.cargo}/env" ]; then
    # shellcheck disable=SC1091
    . "${CARGO_HOME:-$HOME/.cargo}/env"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    say "installing Rust (rustup, stable, minimal profile)"
    command -v curl >/dev/null 2>&1 || die "curl is needed to install Rust"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
      sh -s -- -y --profile minimal --component rustfmt,clippy
    # shellcheck disable=SC1091
    . "${CARGO_HOME:-$HOME/.cargo}/env"
  fi
  if command -v rustup >/dev/null 2>&1; then
    local c
    for c in rustfmt clippy; do
      if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
        say "adding Rust component $c"
        rustup component add "$c"
      fi
    done
  fi
  say "rust: $(rustc --version)"
}

# Node 20 or newer with npm. Not installed automatically: Debian's own nodejs is too old and adding
# a third-party apt source is the user's call.
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    die "Node.js >= $NODE_MAJOR_MIN with npm is needed: https://nodejs.org/en/download (or your distribution's nodejs 20+ package), then re-run"
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt "$NODE_MAJOR_MIN" ]; then
    die "Node.js $(node --version) is too old: $NODE_MAJOR_MIN or newer is needed (https://nodejs.org/en/download)"
  fi
  say "node: $(node --version), npm $(npm --version)"
}

# `npm ci` when package-lock.json changed since the last successful install (a stamp file in
# node_modules records its hash), so a re-run does not wipe and refetch node_modules.
ensure_npm_packages() {
  if [ ! -f package.json ]; then
    warn "no package.json yet: skipping npm packages"
    return 0
  fi
  local stamp=node_modules/.etrack-lock-hash hash
  if [ -f package-lock.json ]; then
    hash="$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
      say "npm packages: up to date"
      return 0
    fi
    say "npm ci"
    npm ci --no-audit --no-fund
  else
    warn "no package-lock.json: running npm install (commit the lock file it writes)"
    npm install --no-audit --no-fund
    hash="$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)"
  fi
  printf '%s\n' "$hash" >"$stamp"
}

# True when the Cargo workspace has a package of that name (the parts of this project land one by
# one; the scripts adapt until all are there).
has_cargo_package() {
  cargo metadata --no-deps --format-version 1 2>/dev/null | grep -q "\"name\":\"$1\""
}
